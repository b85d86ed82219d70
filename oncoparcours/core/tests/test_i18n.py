"""French by default, English on request: the switcher, the API messages and the catalogue."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]")
ENTRY_LINE = re.compile(r"^(msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$")


@pytest.fixture(autouse=True)
def french_again_after_each_test():
    # LocaleMiddleware leaves the last request's language active in the test thread.
    yield
    translation.deactivate()


def choose_language(client: Client, language: str, next_url: str) -> None:
    response = client.post(reverse("set_language"), {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_login_page_is_in_french_by_default(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Connexion à OncoParcours" in page
    assert '<html lang="fr"' in page


def test_footer_switcher_offers_both_languages_and_returns_to_the_current_page(client):
    page = client.get(reverse("accounts:login") + "?next=/patients/").content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert '<input type="hidden" name="next" value="/comptes/connexion/?next=/patients/">' in page
    assert '<label class="fr-label" for="footer-language">Langue de l\'interface</label>' in page
    assert '<option value="fr" lang="fr" selected>Français</option>' in page
    assert '<option value="en" lang="en">English</option>' in page


def test_choosing_english_turns_the_login_page_into_english(client):
    login_url = reverse("accounts:login")
    choose_language(client, "en", login_url)
    page = client.get(login_url).content.decode()
    assert "Log in to OncoParcours" in page
    assert "Connexion à OncoParcours" not in page
    assert '<html lang="en"' in page
    assert '<option value="en" lang="en" selected>English</option>' in page


def test_choosing_french_again_turns_the_page_back_into_french(client):
    login_url = reverse("accounts:login")
    choose_language(client, "en", login_url)
    choose_language(client, "fr", login_url)
    page = client.get(login_url).content.decode()
    assert "Connexion à OncoParcours" in page
    assert '<html lang="fr"' in page


def test_a_language_we_do_not_offer_leaves_the_page_in_french(client):
    login_url = reverse("accounts:login")
    client.post(reverse("set_language"), {"language": "de", "next": login_url})
    page = client.get(login_url).content.decode()
    assert "Connexion à OncoParcours" in page
    assert '<html lang="fr"' in page


def test_a_logged_in_coordinator_can_work_in_english(client_as, personas):
    client = client_as(personas.coordinator)
    home = reverse("core:home")
    choose_language(client, "en", home)
    page = client.get(home).content.decode()
    assert '<html lang="en"' in page
    assert "Log out" in page
    assert "Se déconnecter" not in page


def test_api_error_is_in_french_without_a_language_preference(client):
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == (
        "Authentification requise (session ou jeton d'API)."
    )


def test_api_error_follows_the_accept_language_header(client):
    response = client.get("/api/v1/accounts/me", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 401
    assert response.json()["errors"][0] == {
        "code": "auth.required",
        "message": "Authentication required (session or API token).",
        "field": None,
    }


def test_api_error_follows_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/api/v1/accounts/me", headers={"Accept-Language": "fr"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == (
        "Authentication required (session or API token)."
    )


# The English catalogue. CI has no GNU gettext, so the committed .mo must match the .po.


def read_catalogue(path: Path) -> list[dict[str, str]]:
    """msgid/msgid_plural/msgstr[n] of each live entry (obsolete `#~` entries skipped)."""
    entries: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, key = {}, ""
        elif line.startswith("#,"):
            entry["flags"] = line[2:]
        elif line.startswith("#"):
            continue
        elif match := ENTRY_LINE.match(line):
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
    return [e for e in entries if e.get("msgid")]


@pytest.fixture(scope="module")
def catalogue() -> list[dict[str, str]]:
    return read_catalogue(CATALOGUE)


def translations(entry: dict[str, str]) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_catalogue_is_not_empty(catalogue):
    assert len(catalogue) > 400


def test_every_string_has_an_english_translation(catalogue):
    untranslated = [e["msgid"] for e in catalogue if not all(translations(e))]
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_every_translation_keeps_the_placeholders_of_its_source(catalogue):
    broken = []
    for entry in catalogue:
        if "msgid_plural" in entry:
            *singular, plural = translations(entry)
            source = placeholders(entry["msgid_plural"])
            # The singular may spell "one" out instead of using the count.
            keeps = placeholders(plural) == source and all(
                set(placeholders(text)) <= set(source) for text in singular
            )
        else:
            keeps = placeholders(entry["msgstr"]) == placeholders(entry["msgid"])
        if not keeps:
            broken.append(entry["msgid"])
    assert broken == []


def test_compiled_catalogue_matches_the_po_file(catalogue):
    with (CATALOGUE.parent / "django.mo").open("rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in catalogue:
        if "msgid_plural" in entry:
            for n, text in enumerate(translations(entry)):
                if messages.get((entry["msgid"], n)) != text:
                    stale.append(entry["msgid"])
        elif messages.get(entry["msgid"]) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert stale == [], "run `make messages` (needs GNU gettext) and commit django.mo"
