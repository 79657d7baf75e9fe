"""Aggregated figures per municipality, in the public schema. No personal data: only counts,
shares and means; no names, no ids of candidates, employers or staff. Written only by
`ministry.rollups` (from inside each municipality's schema); read by the dashboard and the API,
always through `ministry.suppression` (small counts become "<5")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Municipality


class WeeklyCounts(models.Model):
    """What a municipality achieved: the same counting rules for a period and for a week."""

    new_employer_contacts = models.PositiveIntegerField(_("new employer contacts"), default=0)
    regular_jobs = models.PositiveIntegerField(_("regular jobs"), default=0)
    work_experience_places = models.PositiveIntegerField(_("work-experience places"), default=0)
    trial_placements = models.PositiveIntegerField(_("trial placements"), default=0)
    meetups_held = models.PositiveIntegerField(_("meetups held"), default=0)
    candidates_attending = models.PositiveIntegerField(_("candidates attending"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PeriodRollup(WeeklyCounts):
    """One municipality's figures for one project period (as of `computed_on`)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="period_rollups")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    computed_on = models.DateField(_("figures as of"))
    target_employer_contacts = models.PositiveIntegerField(_("target: new employer contacts"))
    target_regular_jobs = models.PositiveIntegerField(_("target: regular jobs"))
    target_work_experience_places = models.PositiveIntegerField(
        _("target: work-experience places"))
    zrm_candidates = models.PositiveIntegerField(
        _("candidates with a second ZRM assessment"), default=0)
    zrm_improved_share = models.FloatField(
        _("share improved on at least one ZRM domain"), null=True, blank=True)
    satisfaction_approach = models.FloatField(_("satisfaction: approach"), null=True, blank=True)
    satisfaction_approach_responses = models.PositiveIntegerField(default=0)
    satisfaction_relationship_manager = models.FloatField(
        _("satisfaction: relationship manager"), null=True, blank=True)
    satisfaction_relationship_manager_responses = models.PositiveIntegerField(default=0)
    satisfaction_self_efficacy = models.FloatField(
        _("self-efficacy"), null=True, blank=True)
    satisfaction_self_efficacy_responses = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("period rollup")
        ordering = ["municipality_id", "-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "period_start"],
                                    name="ministry_one_rollup_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.period_start}"


class WeekRollup(WeeklyCounts):
    """One municipality's figures for one ISO week (Monday `week_start`), inside its period."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="week_rollups")
    week_start = models.DateField(_("week (Monday)"))

    class Meta:
        verbose_name = _("week rollup")
        ordering = ["municipality_id", "week_start"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "week_start"],
                                    name="ministry_one_rollup_per_week"),
        ]
        indexes = [models.Index(fields=["week_start"])]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.week_start}"
