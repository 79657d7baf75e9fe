"""Every write to meetups, opportunities, outcomes and placements goes through these modules.

`registrations` (capacity, waiting list, links), `meetups` (meetups, employers, scheduling),
`opportunities`, `outcomes` (check-in, conversations, match leads, surveys, table plan) and
`placements`.
"""
