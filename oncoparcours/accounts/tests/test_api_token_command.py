import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_command_prints_a_working_key_once(capsys, client, personas):
    call_command(
        "api_token_create",
        email=personas.coordinator.user.email,
        role="coordinator",
        organisation=str(personas.structure.public_id),
        name="SIH du CHU",
    )
    key = capsys.readouterr().out.strip().splitlines()[-1]
    response = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["email"] == personas.coordinator.user.email


def test_command_refuses_a_role_the_user_does_not_hold(personas):
    with pytest.raises(CommandError):
        call_command(
            "api_token_create",
            email=personas.coordinator.user.email,
            role="admin",
            organisation=str(personas.structure.public_id),
            name="x",
        )
