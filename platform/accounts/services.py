"""Account services. Run inside the schema the account belongs to."""

from django.contrib.auth.models import Group
from django.db import transaction
from django_tenants.utils import get_public_schema_name

from core.schemas import current_schema

from .models import User
from .roles import ROLES, Role


class RoleNotAvailable(ValueError):
    """A national role in a municipality, or a municipal role on the national site."""


@transaction.atomic
def create_user_with_role(
    email: str, password: str | None, role: Role, *, first_name: str = "", last_name: str = ""
) -> User:
    """Create a user with one role in the current schema (municipality or national site)."""
    national = current_schema() == get_public_schema_name()
    spec = ROLES[role]
    if spec.national != national:
        raise RoleNotAvailable(f"Role {role} does not exist in schema {current_schema()}")
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name,
    )
    user.groups.add(Group.objects.get(name=spec.group_name))
    return user
