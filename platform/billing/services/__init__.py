"""Billing's service functions: the only code that writes sign-ups, subscriptions and
events. `signup` (form to provisioned municipality), `events` (webhooks), `lifecycle`
(subscription state, notices, removal, the coordinator's invoices and customer portal)."""
