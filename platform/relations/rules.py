"""Object permissions (django-rules), the one place portfolio rules are written down.

- Every workspace user sees and edits all employers: market knowledge is shared.
- A relationship manager sees and edits their own candidates and those shared with them.
- A coordinator sees everything and hands portfolios over.

Querysets use the same rules through `visible_candidates` in `relations.selectors`.
"""

import rules

from accounts.roles import Role, user_roles


@rules.predicate
def is_coordinator(user) -> bool:
    return Role.COORDINATOR in user_roles(user)


@rules.predicate
def works_in_workspace(user) -> bool:
    return user.is_authenticated and user.has_perm("accounts.access_workspace")


@rules.predicate
def owns_candidate(user, candidate) -> bool:
    return candidate is not None and candidate.owner_id == user.pk


@rules.predicate
def candidate_shared_with(user, candidate) -> bool:
    return candidate is not None and candidate.shared_with.filter(pk=user.pk).exists()


can_see_candidate = works_in_workspace & (is_coordinator | owns_candidate | candidate_shared_with)

rules.add_perm("relations.view_employer", works_in_workspace)
rules.add_perm("relations.change_employer", works_in_workspace)
rules.add_perm("relations.add_employer", works_in_workspace)
rules.add_perm("relations.add_candidate", works_in_workspace)
rules.add_perm("relations.view_candidate", can_see_candidate)
rules.add_perm("relations.change_candidate", can_see_candidate)
rules.add_perm("relations.share_candidate", works_in_workspace & (is_coordinator | owns_candidate))
rules.add_perm("relations.erase_candidate", works_in_workspace & is_coordinator)
rules.add_perm("relations.hand_over", works_in_workspace & is_coordinator)
rules.add_perm("relations.import", works_in_workspace)
rules.add_perm("audit.view_log", works_in_workspace & is_coordinator)
