"""The core below every feature: what all of them use and none of them owns.

Outbox and fault-tolerant cache, database backend and errors, PDF rendering, schema and
municipality helpers, private files, mail sending and site URLs, anti-spam, the workspace
view decorator and `submit`, permission helpers, logging, metrics, health, the site-wide
middleware and error pages. The core imports no feature: `make lint` (import-linter) fails
on an import of `accounts`, `relations`, `matching_events`, `cms` or any other room above it.
Its app label stays "werktop" (see `core.apps`), so its table and migration history keep
their names.
"""
