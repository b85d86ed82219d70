"""Browser tests drive Debian's Chromium (never a downloaded browser) against live_server."""

import os
from importlib import import_module

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture(autouse=True)
def _transactional(transactional_db):
    """live_server runs in another thread: data must be committed to be seen. The flush after
    each such test also empties what data migrations seeded, so the regulatory parameters are
    seeded again (serialized rollback is ignored with Playwright, pytest-django #1117)."""
    from django.apps import apps

    from oncoparcours.regulation.models import RegulatoryParameter

    if not RegulatoryParameter.objects.exists():
        import_module("oncoparcours.regulation.migrations.0002_seed_psgac_parameters").seed(
            apps, None
        )
