"""Read-only JSON API of the workspace. The same portfolio rules as the screens: querysets
come from `relations.selectors`, and every candidate read is in the audit log."""

from rest_framework import permissions, serializers, viewsets

from audit.services import record

from . import selectors
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


class EmployerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EmployerSerializer
    permission_classes = [WorksInWorkspace]

    def get_queryset(self):
        return selectors.visible_employers(self.request.user).prefetch_related("contacts")


class CandidateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CandidateSerializer
    permission_classes = [WorksInWorkspace]

    def get_queryset(self):
        return selectors.visible_candidates(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        record("view", "candidate", kwargs["pk"], request=request, detail="api")
        return response

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        record("view", "candidate_list", "", request=request, detail="api")
        return response
