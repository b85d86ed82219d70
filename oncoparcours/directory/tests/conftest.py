import pytest

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.testing import make_member


@pytest.fixture
def editor(personas) -> Membership:
    """A directory editor of the DSRC (the admin persona's organisation)."""
    return make_member(
        personas.admin.organisation, RoleCode.DIRECTORY_EDITOR, "editeur@oncoaura.test"
    )
