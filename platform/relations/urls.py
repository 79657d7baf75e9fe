"""The relationship manager's workspace, mounted at /werkplek/ (my day is /werkplek/ itself)."""

from django.urls import include, path, register_converter

from . import views, views_admin, views_candidates


class RelationKind:
    regex = "werkgevers|kandidaten"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RelationKind, "relation")
app_name = "relations"

urlpatterns = [
    path("werkgevers/", views.employer_list, name="employer_list"),
    path("werkgevers/nieuw/", views.employer_create, name="employer_create"),
    path("werkgevers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("werkgevers/<int:pk>/bewerken/", views.employer_edit, name="employer_edit"),
    path("werkgevers/<int:pk>/contactpersonen/", views.contact_person_add,
         name="contact_person_add"),
    path("contactpersonen/<int:pk>/verwijderen/", views.contact_person_remove,
         name="contact_person_remove"),
    path("kandidaten/", views_candidates.candidate_list, name="candidate_list"),
    path("kandidaten/nieuw/", views_candidates.candidate_create, name="candidate_create"),
    path("kandidaten/<int:pk>/", views_candidates.candidate_detail, name="candidate_detail"),
    path("kandidaten/<int:pk>/bewerken/", views_candidates.candidate_edit,
         name="candidate_edit"),
    path("kandidaten/<int:pk>/zrm/", views_candidates.zrm_add, name="zrm_add"),
    path("kandidaten/<int:pk>/ladder/", views_candidates.ladder_add, name="ladder_add"),
    path("kandidaten/<int:pk>/delen/", views_candidates.share, name="share"),
    path("kandidaten/<int:pk>/cv/", views_candidates.cv_download, name="cv_download"),
    path("kandidaten/<int:pk>/gegevens.json", views_candidates.export_json,
         name="candidate_export"),
    path("kandidaten/<int:pk>/wissen/", views_candidates.erase, name="candidate_erase"),
    path("<relation:kind>/<int:pk>/contactmoment/", views.contact_moment_add,
         name="contact_moment_add"),
    path("<relation:kind>/<int:pk>/actie/", views.next_action_add, name="next_action_add"),
    path("acties/<int:pk>/afronden/", views.next_action_done, name="next_action_done"),
    path("overdragen/", views_admin.handover, name="handover"),
    path("logboek/", views_admin.audit_log, name="audit_log"),
    path("instellingen/", views_admin.settings_view, name="settings"),
    path("importeren/", include("relations.imports.urls")),
]
