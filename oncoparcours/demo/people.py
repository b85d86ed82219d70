"""Demo professionals (no login) and the demo logins of ``DEMO_ACCOUNTS``."""

import unicodedata

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Profession, User
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.accounts.services import membership_create
from oncoparcours.demo.base import LoaderBase
from oncoparcours.demo.catalogue import (
    DEMO_ACCOUNTS,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    NO_RPPS,
    ORGANISATIONS,
    posts_for,
)
from oncoparcours.demo.names import first_name
from oncoparcours.organisations.models import Organisation


def _slug(value: str) -> str:
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_value.lower()).strip("-")


class PeopleMixin(LoaderBase):
    def _email(self, first: str, last: str) -> str:
        base = f"{_slug(first)}.{_slug(last)}"
        email, suffix = f"{base}@pro.{DEMO_DOMAIN}", 1
        while email in self.emails:
            suffix += 1
            email = f"{base}{suffix}@pro.{DEMO_DOMAIN}"
        self.emails.add(email)
        return email

    def _create_people(self) -> None:
        """Professionals (unusable passwords: they are not logins), then the demo logins."""
        users: list[User] = []
        roles: list[list[tuple[RoleCode, Organisation]]] = []
        for spec in ORGANISATIONS:
            org = self.organisations.get(spec.key)
            if org is None:
                continue
            for post in posts_for(spec):
                for _i in range(post.count):
                    first = first_name(self.rng, "F" if self.rng.random() < 0.6 else "M")
                    last = self.rng.choice(self.surnames)
                    profession = self.rng.choice(post.professions)
                    users.append(
                        User(
                            public_id=self._uuid(),
                            email=self._email(first, last),
                            first_name=first,
                            last_name=last,
                            profession=profession.value,
                            specialty=post.specialty,
                            rpps="" if profession in NO_RPPS else self.ids.rpps(),
                            password=make_password(None),
                        )
                    )
                    roles.append([(post.role, org)])
        professionals = len(users)
        # One hash for every demo login: hashing is slow on purpose and the password is shared.
        demo_hash = make_password(DEMO_PASSWORD)
        for account in DEMO_ACCOUNTS:
            held = [
                (role, self.organisations[key])
                for role, key in account.memberships
                if key in self.organisations
            ]
            if len(held) < len(account.memberships):
                self.result.warnings.append(
                    _("Compte de démonstration %(email)s : organisation absente, rôle ignoré.")
                    % {"email": account.email}
                )
            if not held:
                continue
            users.append(
                User(
                    public_id=self._uuid(),
                    email=account.email,
                    first_name=account.first_name,
                    last_name=account.last_name,
                    profession=account.profession,
                    specialty=account.specialty,
                    rpps=""
                    if not account.profession or Profession(account.profession) in NO_RPPS
                    else self.ids.rpps(),
                    password=demo_hash,
                    is_staff=account.is_superuser,
                    is_superuser=account.is_superuser,
                )
            )
            roles.append(held)
        created = User.objects.bulk_create(users)
        for user, held in zip(created, roles, strict=True):
            for role, org in held:
                membership_create(user=user, organisation=org, role=role)
        self.result.counts.update(
            {
                "professionals": professionals,
                "demo_accounts": len(created) - professionals,
                "memberships": sum(len(held) for held in roles),
            }
        )
