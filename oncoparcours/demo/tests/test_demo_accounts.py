import io

from django.core.management import call_command

from oncoparcours.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD


def test_the_table_lists_every_account_with_its_password_role_and_organisation(db):
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    for account in DEMO_ACCOUNTS:
        assert account.email in text
    assert DEMO_PASSWORD in text
    assert "Coordinateur de structure" in text
    assert "Association Après-Cancer Rhône (démo)" in text
    assert "pas encore créés" in text
