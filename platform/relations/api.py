"""Read-only JSON API of the workspace. The same portfolio rules as the screens: querysets
come from `relations.selectors`, and every candidate read is in the audit log: a list page
writes one "view" entry per candidate it shows (detail "api-lijst"), so "who saw candidate
123?" is one search on type and number however the file was seen; a number outside the
user's portfolio is a 404 and a "refused" entry (`relations.access`)."""

from django.http import Http404
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from audit.services import record, record_many

from . import access, selectors
from .models import Candidate, ContactPerson, Employer


class WorksInWorkspace(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated
                    and request.user.has_perm("accounts.access_workspace"))

    def has_object_permission(self, request, view, obj) -> bool:
        app = obj._meta.app_label
        return request.user.has_perm(f"{app}.view_{obj._meta.model_name}", obj)


class ContactPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactPerson
        fields = ["id", "name", "role", "email", "phone"]


class EmployerSerializer(serializers.ModelSerializer):
    contacts = ContactPersonSerializer(many=True, read_only=True)

    class Meta:
        model = Employer
        fields = ["id", "name", "kvk_number", "sector", "size_class", "street_address",
                  "postcode", "city", "website", "owner", "status", "first_contact_date",
                  "contacts", "version", "updated_at"]


class CandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = ["id", "first_name", "last_name", "email", "phone", "year_of_birth",
                  "postcode", "languages", "driving_licence", "hours_per_week",
                  "days_available", "travel_radius_km", "talents", "interests",
                  "preferred_sectors", "owner", "status", "programme_start", "ladder_rung",
                  "client_reference", "version", "updated_at"]


class RecordsRefusals:
    """A detail lookup that finds nothing is a 404 and a "refused" audit entry."""

    audit_object_type = ""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            pk = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
            access.record_refusal(self.request, self.audit_object_type, pk,
                                  exists=access.object_exists(self.get_queryset().model, pk),
                                  detail="api")
            raise


class EmployerViewSet(RecordsRefusals, viewsets.ReadOnlyModelViewSet):
    audit_object_type = "employer"
    serializer_class = EmployerSerializer
    permission_classes = [WorksInWorkspace]

    def get_queryset(self):
        return selectors.visible_employers(self.request.user).prefetch_related("contacts")


class CandidateViewSet(RecordsRefusals, viewsets.ReadOnlyModelViewSet):
    audit_object_type = "candidate"
    serializer_class = CandidateSerializer
    permission_classes = [WorksInWorkspace]

    def get_queryset(self):
        return selectors.visible_candidates(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        record("view", "candidate", kwargs["pk"], request=request, detail="api")
        return response

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        shown = list(page if page is not None else queryset)
        data = self.get_serializer(shown, many=True).data
        record_many("view", "candidate", [candidate.pk for candidate in shown],
                    request=request, detail="api-lijst")
        return self.get_paginated_response(data) if page is not None else Response(data)
