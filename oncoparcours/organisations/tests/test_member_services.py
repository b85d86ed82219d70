import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.organisations.services import member_add, member_end, organisation_archive

pytestmark = pytest.mark.django_db


def _codes(exc: ValidationError) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def _add(personas, by=None, **overrides) -> Membership:
    values = {
        "email": " Nouvelle.Dieteticienne@Lyon.test ",
        "first_name": "Inès",
        "last_name": "Moreau",
        "role": RoleCode.DIETITIAN.value,
        "site_domain": "oncoparcours.example",
        "use_https": True,
        **overrides,
    }
    return member_add(by=by or personas.coordinator, organisation=personas.structure, **values)


def test_new_member_gets_an_account_without_password_and_a_link_to_choose_one(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = _add(personas)

    user = membership.user
    assert user.email == "nouvelle.dieteticienne@lyon.test"
    assert (user.first_name, user.last_name) == ("Inès", "Moreau")
    assert not user.has_usable_password()
    assert membership.role == RoleCode.DIETITIAN
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["nouvelle.dieteticienne@lyon.test"]
    assert email.subject == "OncoParcours : votre compte a été créé"
    assert "https://oncoparcours.example/comptes/mot-de-passe/nouveau/" in email.body
    assert "Association Après-Cancer Lyon" in email.body


def test_no_email_is_sent_before_the_transaction_commits(personas, mailoutbox):
    _add(personas)
    assert mailoutbox == []


def test_existing_user_gets_the_role_without_a_new_account_or_email(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    users_before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        membership = _add(personas, email="PSY@lyon.test", first_name="", last_name="", role="idec")

    assert membership.user == personas.psychologist.user
    assert membership.role == RoleCode.IDEC
    assert User.objects.count() == users_before
    assert mailoutbox == []


def test_coordinator_cannot_make_someone_administrator_and_nothing_is_saved(personas):
    users_before = User.objects.count()

    with pytest.raises(ValidationError) as info:
        _add(personas, role=RoleCode.ADMIN.value)

    assert _codes(info.value) == {"role": ["member.role.not_grantable"]}
    assert User.objects.count() == users_before


def test_administrator_may_grant_a_regional_role(personas):
    membership = _add(
        personas,
        by=personas.admin,
        role=RoleCode.ADMIN.value,
    )
    assert membership.role == RoleCode.ADMIN


def test_patient_accounts_are_not_added_as_members(personas):
    with pytest.raises(ValidationError) as info:
        _add(personas, by=personas.admin, role=RoleCode.PATIENT.value)
    assert _codes(info.value) == {"role": ["member.role.not_grantable"]}


def test_role_the_organisation_kind_cannot_hold_is_refused_and_no_account_is_left(personas):
    with pytest.raises(ValidationError) as info:
        _add(personas, role=RoleCode.HOSPITAL_ONCOLOGIST.value)

    assert _codes(info.value) == {"role": ["membership.role_not_allowed_in_organisation"]}
    assert not User.objects.filter(email="nouvelle.dieteticienne@lyon.test").exists()


def test_new_account_needs_an_email_and_names(personas):
    with pytest.raises(ValidationError) as info:
        _add(personas, email="pas-une-adresse", first_name="", last_name="", role="nope")
    assert _codes(info.value) == {
        "email": ["member.email.invalid"],
        "role": ["member.role.invalid"],
        "first_name": ["member.first_name.required"],
        "last_name": ["member.last_name.required"],
    }

    with pytest.raises(ValidationError) as info:
        _add(personas, email="  ", first_name="Inès", last_name="Moreau")
    assert _codes(info.value) == {"email": ["member.email.required"]}


def test_a_role_already_held_is_refused(personas):
    with pytest.raises(ValidationError) as info:
        _add(personas, email="psy@lyon.test", role=RoleCode.PSYCHOLOGIST.value)
    assert _codes(info.value) == {"email": ["member.already_active"]}


def test_no_member_is_added_to_an_archived_organisation(personas):
    organisation_archive(by=personas.admin, organisation=personas.structure)

    with pytest.raises(ValidationError) as info:
        _add(personas, by=personas.admin)
    assert _codes(info.value) == {NON_FIELD_ERRORS: ["organisation.archived"]}


def test_ending_a_role_keeps_the_row(personas):
    ended = member_end(by=personas.coordinator, membership=personas.psychologist)

    row = Membership.objects.get(pk=personas.psychologist.pk)
    assert row.ended_at is not None
    assert ended.is_active is False


def test_a_role_ends_only_once(personas):
    member_end(by=personas.coordinator, membership=personas.psychologist)

    with pytest.raises(ValidationError) as info:
        member_end(by=personas.coordinator, membership=personas.psychologist)
    assert _codes(info.value) == {NON_FIELD_ERRORS: ["member.already_ended"]}


def test_nobody_ends_the_role_they_act_in(personas):
    with pytest.raises(ValidationError) as info:
        member_end(by=personas.coordinator, membership=personas.coordinator)
    assert _codes(info.value) == {NON_FIELD_ERRORS: ["member.end_self"]}


def test_coordinator_cannot_end_an_administrator_role(personas):
    admin_in_structure = _add(personas, by=personas.admin, role=RoleCode.ADMIN.value)

    with pytest.raises(ValidationError) as info:
        member_end(by=personas.coordinator, membership=admin_in_structure)
    assert _codes(info.value) == {NON_FIELD_ERRORS: ["member.role.not_grantable"]}


def test_adding_back_an_ended_role_reopens_it(personas):
    member_end(by=personas.coordinator, membership=personas.psychologist)

    again = _add(personas, email="psy@lyon.test", role=RoleCode.PSYCHOLOGIST.value)

    assert again.pk == personas.psychologist.pk
    assert again.ended_at is None
