"""URLs of alerts (under /werkplek/signalen/)."""

from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.signal_list, name="signal_list"),
    path("<int:pk>/wegzetten/", views.signal_dismiss, name="signal_dismiss"),
]
