"""Provisioning hooks: what a new schema, the national site or a new municipality needs from
the rooms above `tenants`, asked for without importing them (docs/architecture.md, layers).

Receivers connect in their app's `ready()`: `accounts` makes the role groups, `cms` clears
Wagtail's sample content and builds the default portal. Senders use `send` (not
`send_robust`): an error in a receiver aborts provisioning, which runs in one transaction.
"""

from django.dispatch import Signal

# A schema about to be cloned or just created: the national (public) schema or the template.
# Sent inside that schema. Receivers make what every clone starts with (roles) and remove
# what none should have (sample content). Arguments: none.
fresh_schema = Signal()

# The national site's tenant row and domain exist; sent inside the public schema.
national_site_ready = Signal()

# A municipality's schema was cloned and its domain created; sent inside its schema, inside
# the provisioning transaction. Arguments: municipality, hostname.
municipality_provisioned = Signal()

# `setup_platform` ran: the code may bring new roles or permissions. Sent inside the schema of
# every participating municipality. Arguments: none.
code_updated = Signal()
