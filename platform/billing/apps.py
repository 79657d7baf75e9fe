from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Subscriptions of municipalities, kept in step with Stripe (public schema)."""

    name = "billing"
    label = "billing"
    verbose_name = "Abonnementen"
