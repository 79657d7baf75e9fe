"""The kinds of signal (`Signal.Kind`), in a module of their own so that `alerts.texts` can use
them without importing the models that use the texts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROGRAMME_9_MONTHS = "programme_9_months", _("9 months in the programme without an offer")
    PROGRAMME_12_MONTHS = "programme_12_months", _(
        "12 months in the programme without an offer")
    FOLLOW_UP_DUE = "follow_up_due", _("follow-up of a placement due")
    NO_CONTACT = "no_contact", _("no contact for a long time")
    OPPORTUNITY_WITHOUT_CANDIDATE = "opportunity_without_candidate", _(
        "opportunity without a candidate")
    TARGET_REACHED = "target_reached", _("target reached")
    TARGET_BEHIND_PACE = "target_behind_pace", _("target behind pace")
