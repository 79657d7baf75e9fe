"""Who runs a meetup (django-rules, beside relations.rules): its organiser and whoever has
`accounts.run_all_meetups` (the coordinators). They change, publish and cancel it, invite
employers, make the table plan and see every registered name; other workspace users see it
and invite their own candidates."""

import rules

from relations.rules import role_permission, works_in_workspace


@rules.predicate
def organises_meetup(user, meetup) -> bool:
    return meetup is not None and meetup.organiser_id == user.pk


runs_meetup = works_in_workspace & (role_permission("accounts.run_all_meetups") | organises_meetup)
rules.add_perm("matching_events.run_meetup", runs_meetup)
