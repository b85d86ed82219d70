"""Uploaded health documents are reachable only through views that check access."""

import importlib

import pytest
from django.urls import Resolver404, clear_url_caches, resolve

import config.urls


@pytest.mark.parametrize(
    "path", ["/media/prescriptions/2026/11/scan.pdf", "/media/diplomas/diplome.pdf"]
)
def test_no_url_serves_uploaded_files_directly_even_in_debug(settings, path):
    # The URLconf is read at import: rebuilt here as a DEBUG server would build it.
    settings.DEBUG = True
    try:
        importlib.reload(config.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(path, urlconf="config.urls")
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
        clear_url_caches()
