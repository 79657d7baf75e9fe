"""Object permissions (django-rules), the one place portfolio rules are written down.

- Every workspace user sees and edits all employers: market knowledge is shared.
- A relationship manager sees and edits their own candidates and those shared with them.
- Who has `accounts.view_all_candidates` (a coordinator) sees and edits every candidate;
  erasing, handing over and the audit trail each have their own role permission.

Role permissions (`accounts.*`, granted per role in `accounts.roles`) say what a role may do;
the rules here combine them with the object (docs/permissions.md). Querysets use the same
rules through `visible_candidates` in `relations.selectors`.
"""

import rules


def role_permission(name: str) -> rules.Predicate:
    """A predicate true for a user who has the role permission `name` ("accounts.x")."""

    @rules.predicate(name=name)
    def check(user) -> bool:
        return user.has_perm(name)

    return check


sees_all_candidates = role_permission("accounts.view_all_candidates")


@rules.predicate
def works_in_workspace(user) -> bool:
    return user.is_authenticated and user.has_perm("accounts.access_workspace")


@rules.predicate
def owns_candidate(user, candidate) -> bool:
    return candidate is not None and candidate.owner_id == user.pk


@rules.predicate
def candidate_shared_with(user, candidate) -> bool:
    return candidate is not None and candidate.shared_with.filter(pk=user.pk).exists()


can_see_candidate = works_in_workspace & (
    sees_all_candidates | owns_candidate | candidate_shared_with)

rules.add_perm("relations.view_employer", works_in_workspace)
rules.add_perm("relations.change_employer", works_in_workspace)
rules.add_perm("relations.add_employer", works_in_workspace)
rules.add_perm("relations.add_candidate", works_in_workspace)
rules.add_perm("relations.view_candidate", can_see_candidate)
rules.add_perm("relations.change_candidate", can_see_candidate)
rules.add_perm("relations.share_candidate",
               works_in_workspace & (sees_all_candidates | owns_candidate))
rules.add_perm("relations.erase_candidate",
               works_in_workspace & role_permission("accounts.erase_candidates"))
rules.add_perm("relations.hand_over",
               works_in_workspace & role_permission("accounts.hand_over_portfolios"))
rules.add_perm("relations.import", works_in_workspace)
rules.add_perm("audit.view_log", works_in_workspace & role_permission("accounts.view_audit_log"))
