"""Search, filters and sorting of the employer and candidate lists (django-filter)."""

import re

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .forms import ColleagueChoiceField, workspace_users
from .models import Candidate, Employer, Weekday
from .reference import LADDER_CHOICES, SBI_CHOICES


class ColleagueFilter(filters.ModelChoiceFilter):
    field_class = ColleagueChoiceField


def search(queryset: QuerySet, _name: str, value: str) -> QuerySet:
    """Every word must occur in the relation's search text (trigram index: LIKE, not ILIKE,
    as the search text is stored in lower case)."""
    for word in value.lower().split()[:8]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def postcode_area(queryset: QuerySet, _name: str, value: str) -> QuerySet:
    """'27' or '2711': every postcode that starts with these digits."""
    digits = re.sub(r"\D", "", value)[:4]
    return queryset.filter(postcode__startswith=digits) if digits else queryset


class StableOrderingFilter(filters.OrderingFilter):
    """Sorting with the primary key as tie-breaker, so pages never repeat or skip rows."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


class WorkspaceFilterSet(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method=search)
    owner = ColleagueFilter(label=_("Relationship manager"),
                            queryset=lambda _request: workspace_users(),
                            empty_label=_("Everyone"))
    postcode = filters.CharFilter(
        label=_("Postcode area"), method=postcode_area,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        help_text=_("The first two or four digits, for example 27 or 2711."))


class EmployerFilter(WorkspaceFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=Employer.Status.choices,
                                  empty_label=_("All"))
    sector = filters.ChoiceFilter(label=_("Sector"), choices=SBI_CHOICES, empty_label=_("All"))
    sort = StableOrderingFilter(
        label=_("Sort by"), empty_label=None,
        fields=(("name", "name"), ("first_contact_date", "first_contact"),
                ("updated_at", "updated")),
        field_labels={"name": _("name"), "first_contact_date": _("first contact"),
                      "updated_at": _("last changed")})

    class Meta:
        model = Employer
        fields: list[str] = []


class CandidateFilter(WorkspaceFilterSet):
    status = filters.ChoiceFilter(label=_("Status"), choices=Candidate.Status.choices,
                                  empty_label=_("All"))
    ladder_rung = filters.ChoiceFilter(label=_("Participation ladder"), choices=LADDER_CHOICES,
                                       empty_label=_("All"))
    sector = filters.ChoiceFilter(label=_("Preferred sector"), choices=SBI_CHOICES,
                                  empty_label=_("All"), field_name="preferred_sectors",
                                  lookup_expr="contains", method="filter_sector")
    day = filters.ChoiceFilter(label=_("Available on"), choices=Weekday.choices,
                               empty_label=_("Any day"), method="filter_day")
    min_hours = filters.NumberFilter(label=_("At least hours a week"),
                                     field_name="hours_per_week", lookup_expr="gte")
    sort = StableOrderingFilter(
        label=_("Sort by"), empty_label=None,
        fields=(("last_name", "name"), ("programme_start", "programme_start"),
                ("updated_at", "updated")),
        field_labels={"last_name": _("name"), "programme_start": _("in the programme since"),
                      "updated_at": _("last changed")})

    class Meta:
        model = Candidate
        fields: list[str] = []

    def filter_sector(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(preferred_sectors__contains=[value])

    def filter_day(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(days_available__contains=[value])
