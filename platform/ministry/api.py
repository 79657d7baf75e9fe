"""The open API of the aggregates, for ministry systems (national site, /api/v1/).

Read-only, token-authenticated (rest_framework.authtoken: tokens of national users with the
ministry permission), versioned path with an `API-Version` header, errors as
`application/problem+json`. Every figure passes through `ministry.suppression`."""

import re
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import authentication, permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.models import Municipality

from . import figures
from .problems import API_VERSION, PROBLEM_TYPE, problem_exception_handler
from .rollups import monday

MINISTRY_PERMISSION = "accounts.view_ministry_dashboard"
# A CBS municipality code: GM and four digits (any case in the address).
CBS_CODE = re.compile(r"GM[0-9]{4}", re.IGNORECASE)
# DRF's own query parameter (?format=json); every endpoint accepts it.
COMMON_PARAMETERS = frozenset({"format"})


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 5},
                                {"type": "string", "enum": ["<5"]}],
                      "description": 'A count; "<5" when below 5 (small-count suppression).'})
class SuppressedCount(serializers.Field):
    def to_representation(self, value: Any) -> Any:
        return value


class WeekSerializer(serializers.Serializer):
    week_start = serializers.DateField(help_text="Monday of the ISO week.")
    new_employer_contacts = serializers.IntegerField()
    regular_jobs = SuppressedCount()
    work_experience_places = SuppressedCount()
    trial_placements = SuppressedCount()
    meetups_held = serializers.IntegerField()
    candidates_attending = SuppressedCount()


class PeriodSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    computed_on = serializers.DateField(help_text="The figures are as of this day.")
    target_employer_contacts = serializers.IntegerField()
    target_regular_jobs = serializers.IntegerField()
    target_work_experience_places = serializers.IntegerField()
    new_employer_contacts = serializers.IntegerField()
    regular_jobs = SuppressedCount()
    work_experience_places = SuppressedCount()
    trial_placements = SuppressedCount()
    meetups_held = serializers.IntegerField()
    candidates_attending = SuppressedCount()
    zrm_candidates = SuppressedCount()
    zrm_improved_share = serializers.FloatField(allow_null=True)
    satisfaction_approach = serializers.FloatField(allow_null=True)
    satisfaction_approach_responses = SuppressedCount()
    satisfaction_relationship_manager = serializers.FloatField(allow_null=True)
    satisfaction_relationship_manager_responses = SuppressedCount()
    satisfaction_self_efficacy = serializers.FloatField(allow_null=True)
    satisfaction_self_efficacy_responses = SuppressedCount()


class MunicipalitySerializer(serializers.Serializer):
    cbs_code = serializers.CharField()
    name = serializers.CharField()
    province = serializers.CharField()
    behind_pace = serializers.BooleanField(
        allow_null=True, help_text="Behind a straight line to the targets on any target.")
    current_period = PeriodSerializer(allow_null=True)
    _links = serializers.DictField(child=serializers.DictField())


class MunicipalityDetailSerializer(MunicipalitySerializer):
    periods = PeriodSerializer(many=True)


class ProblemSerializer(serializers.Serializer):
    """RFC 7807 problem details, the body of every error (`application/problem+json`)."""

    type = serializers.CharField(help_text="Always about:blank: the status says it all.")
    title = serializers.CharField(help_text="The status in words.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, for a person (Dutch by "
                                             "default; Accept-Language: en for English).")


def problems(*statuses: int) -> dict[tuple[int, str], OpenApiResponse]:
    """The documented error responses of an operation."""
    described = {400: "An unknown or malformed query parameter.",
                 401: "No or an unknown token.",
                 403: "The token's user may not read the ministry's figures.",
                 404: "No participating municipality (or period) with this code."}
    return {(code, PROBLEM_TYPE): OpenApiResponse(ProblemSerializer, description=described[code])
            for code in (*statuses, 401, 403)}


class HasMinistryPermission(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(MINISTRY_PERMISSION))


class MinistryAPIView(APIView):
    authentication_classes = [authentication.TokenAuthentication,
                              authentication.SessionAuthentication]
    permission_classes = [HasMinistryPermission]
    renderer_classes = [JSONRenderer]
    pagination_class = None

    def get_exception_handler(self):
        return problem_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION
        return response


PROVINCE = OpenApiParameter("provincie", str, description="Only this province.")
PERIOD = OpenApiParameter("periode", OpenApiTypes.DATE,
                          description="Start date of a project period (YYYY-MM-DD).")


def reject_unknown_parameters(request: Request, *known: str) -> None:
    """A query parameter the endpoint does not know is a 400, not silently ignored (a typo
    in a filter would otherwise return every row)."""
    unknown = set(request.query_params) - set(known) - COMMON_PARAMETERS
    if unknown:
        allowed = ", ".join(sorted(known)) or _("none")
        raise ValidationError({name[:40]: _("Unknown query parameter. Allowed: %(allowed)s.")
                               % {"allowed": allowed} for name in sorted(unknown)})


def parse_period(request: Request) -> date | None:
    value = request.query_params.get("periode")
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {"periode": _("Use the start date of a period as YYYY-MM-DD.")}) from None


def links(request: Request, cbs_code: str) -> dict[str, dict[str, str]]:
    detail = reverse("ministry_api:municipality", args=[cbs_code])
    weeks = reverse("ministry_api:weeks", args=[cbs_code])
    return {"self": {"href": request.build_absolute_uri(detail)},
            "weeks": {"href": request.build_absolute_uri(weeks)}}


def represent(request: Request, row: figures.Row) -> dict[str, Any]:
    return {"cbs_code": row.cbs_code, "name": row.name, "province": row.province,
            "behind_pace": row.behind if row.figures else None,
            "current_period": row.figures, "_links": links(request, row.cbs_code)}


class MunicipalityList(MinistryAPIView):
    @extend_schema(parameters=[PROVINCE],
                   responses={200: MunicipalitySerializer(many=True), **problems(400)},
                   summary="Participating municipalities with their current period's figures")
    def get(self, request: Request) -> Response:
        reject_unknown_parameters(request, "provincie")
        rows = figures.current_rows()
        try:
            chosen = figures.select(rows, province=request.query_params.get("provincie", ""))
        except figures.BadFilter:
            raise ValidationError({"provincie": _("Unknown province. Known: %(provinces)s.")
                                   % {"provinces": ", ".join(figures.provinces(rows))}}
                                  ) from None
        return Response([represent(request, row) for row in chosen])


def _municipality(cbs_code: str) -> Municipality:
    """The participating municipality with this CBS code, else 404. Anything that is not a
    CBS code is a 404 without a query (a NUL byte would make PostgreSQL refuse the query)."""
    municipality = None
    if CBS_CODE.fullmatch(cbs_code):
        municipality = Municipality.objects.participating().filter(
            cbs_code=cbs_code.upper()).first()
    if municipality is None:
        raise NotFound(_("There is no participating municipality with this CBS code."))
    return municipality


class MunicipalityDetail(MinistryAPIView):
    @extend_schema(responses={200: MunicipalityDetailSerializer, **problems(400, 404)},
                   summary="One municipality: current period and every published period")
    def get(self, request: Request, cbs_code: str) -> Response:
        reject_unknown_parameters(request)
        municipality = _municipality(cbs_code)
        body = represent(request, figures.row_of(municipality))
        body["periods"] = figures.periods_of(municipality)
        return Response(body)


class MunicipalityWeeks(MinistryAPIView):
    @extend_schema(parameters=[PERIOD],
                   responses={200: WeekSerializer(many=True), **problems(400, 404)},
                   summary="Weekly figures of one municipality (optionally of one period)")
    def get(self, request: Request, cbs_code: str) -> Response:
        reject_unknown_parameters(request, "periode")
        period_start = parse_period(request)
        municipality = _municipality(cbs_code)
        weeks = municipality.week_rollups.order_by("week_start")
        if period_start is not None:
            period = municipality.period_rollups.filter(period_start=period_start).first()
            if period is None:
                raise NotFound(_("This municipality has no published period starting on "
                                 "%(date)s.") % {"date": period_start.isoformat()})
            weeks = weeks.filter(week_start__gte=monday(period.period_start),
                                 week_start__lte=period.period_end)
        return Response([figures.public_week(values) for values in
                         weeks.values("week_start", *figures.WEEK_FIELDS)])
