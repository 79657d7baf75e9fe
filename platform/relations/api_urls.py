"""Read-only JSON API of the workspace, mounted at /api/v1/."""

from rest_framework.routers import DefaultRouter

from .api import CandidateViewSet, EmployerViewSet

router = DefaultRouter()
router.register("werkgevers", EmployerViewSet, basename="api-employer")
router.register("kandidaten", CandidateViewSet, basename="api-candidate")

urlpatterns = router.urls
