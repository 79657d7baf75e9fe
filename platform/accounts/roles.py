"""Roles are groups with permissions, created in every schema by `ensure_roles`."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django_tenants.utils import get_public_schema_name

from core.logging import ROLES_SESSION_KEY
from core.schemas import current_schema

from .models import User


class Role(StrEnum):
    RELATIONSHIP_MANAGER = "relationship_manager"
    COORDINATOR = "coordinator"
    EDITOR = "editor"
    EMPLOYER = "employer"
    CANDIDATE = "candidate"
    MINISTRY_ANALYST = "ministry_analyst"
    OPERATOR = "operator"


@dataclass(frozen=True)
class RoleSpec:
    group_name: str  # what people see: Dutch
    permissions: tuple[str, ...]  # "app_label.codename"
    national: bool = False


WAGTAIL_EDIT = ("wagtailadmin.access_admin",)

ROLES: dict[Role, RoleSpec] = {
    Role.RELATIONSHIP_MANAGER: RoleSpec("Relatiemanager", ("accounts.access_workspace",)),
    Role.COORDINATOR: RoleSpec(
        "Coördinator",
        ("accounts.access_workspace", "accounts.view_all_candidates", "accounts.erase_candidates",
         "accounts.hand_over_portfolios", "accounts.view_audit_log", "accounts.manage_retention",
         "accounts.handle_all_signals", "accounts.run_all_meetups", "accounts.manage_targets",
         "accounts.manage_subscription"),
    ),
    Role.EDITOR: RoleSpec("Redacteur", ("accounts.edit_portal", "cms.change_branding",
                                        *WAGTAIL_EDIT)),
    Role.EMPLOYER: RoleSpec("Werkgever", ("accounts.access_employer_portal",)),
    Role.CANDIDATE: RoleSpec("Kandidaat", ("accounts.access_candidate_portal",)),
    Role.MINISTRY_ANALYST: RoleSpec(
        "Ministerie-analist", ("accounts.view_ministry_dashboard",), national=True),
    Role.OPERATOR: RoleSpec(
        "Platformbeheerder",
        ("accounts.operate_platform", "accounts.view_ministry_dashboard"), national=True),
}

# Page permissions an editor gets on the whole page tree of their municipality.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
# Image and document permissions on the root collection (Wagtail grants these per collection).
EDITOR_COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


def roles_for_schema(schema_name: str) -> list[Role]:
    national = schema_name == get_public_schema_name()
    return [role for role, spec in ROLES.items() if spec.national == national]


def ensure_roles() -> None:
    """Create or update the role groups of the current schema. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    roles = roles_for_schema(current_schema())
    wanted = {perm for role in roles for perm in ROLES[role].permissions}
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[name.split(".")[1] for name in wanted])
    }
    for role in roles:
        spec = ROLES[role]
        group, _ = Group.objects.get_or_create(name=spec.group_name)
        group.permissions.set([by_name[name] for name in spec.permissions if name in by_name])
    if current_schema() != get_public_schema_name():
        _grant_editor_page_permissions()


def _grant_editor_page_permissions() -> None:
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:
        return
    editors = Group.objects.get(name=ROLES[Role.EDITOR].group_name)
    for perm in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=EDITOR_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=perm)
    from wagtail.models import Collection, GroupCollectionPermission

    collection = Collection.get_first_root_node()
    if collection is None:
        return
    for app_label, codenames in EDITOR_COLLECTION_PERMISSIONS.items():
        for perm in Permission.objects.filter(content_type__app_label=app_label,
                                              codename__in=codenames):
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=collection, permission=perm)


def group_name(role: Role) -> str:
    return ROLES[role].group_name


def user_roles(user) -> set[Role]:
    """The roles of a user in the current schema."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_werktop_roles", None)
    if cached is None:  # once per request: the user object lives as long as the request
        names = {spec.group_name: role for role, spec in ROLES.items()}
        cached = {names[n] for n in user.groups.values_list("name", flat=True) if n in names}
        user._werktop_roles = cached
    return cached


def users_with_role(role: Role):
    """Active users of the current schema who have `role` (are in its group)."""
    return User.objects.filter(is_active=True, groups__name=ROLES[role].group_name).distinct()


def roles_of(user: Any) -> list[str]:
    """The user's roles by their stable English names (Role values), never group ids or names
    of people. One query: called once, at login."""
    by_group = {spec.group_name: role.value for role, spec in ROLES.items()}
    names = user.groups.values_list("name", flat=True)
    return sorted(by_group[name] for name in names if name in by_group)


def remember_roles(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """user_logged_in: the roles for the log lines of this session (`core.logging.actor_of`)."""
    if request is not None and hasattr(request, "session"):
        request.session[ROLES_SESSION_KEY] = roles_of(user)
