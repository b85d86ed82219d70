from django.template.loader import get_template

from oncoparcours.accounts.roles import ROLES, RoleCode


def test_every_role_of_the_issue_is_declared_once_with_french_label_and_description():
    assert set(ROLES) == set(RoleCode)
    assert len(ROLES) == 15
    for role in ROLES.values():
        assert str(role.label)
        assert len(str(role.description)) > 20
        assert role.org_kinds


def test_every_role_has_an_existing_home_page():
    for role in ROLES.values():
        assert get_template(role.home_template)


def test_only_the_patient_role_is_not_staff():
    assert [r.code for r in ROLES.values() if not r.staff] == [RoleCode.PATIENT]
