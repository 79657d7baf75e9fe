"""National site: sign-up, Stripe's webhook, operators' subscription list."""

from django.urls import path

from . import views_operator, views_signup

app_name = "billing"
urlpatterns = [
    path("aanmelden/", views_signup.sign_up, name="sign_up"),
    path("aanmelden/<uuid:sign_up_id>/", views_signup.sign_up_page, name="sign_up_page"),
    path("aanmelden/<uuid:sign_up_id>/betalen/", views_signup.sign_up_pay, name="sign_up_pay"),
    path("aanmelden/<uuid:sign_up_id>/status/", views_signup.sign_up_status,
         name="sign_up_status"),
    path("stripe/webhook/", views_signup.stripe_webhook, name="stripe_webhook"),
    path("beheer/abonnementen/", views_operator.subscription_list, name="operator_list"),
    path("beheer/abonnementen/<int:pk>/verwijderen/", views_operator.remove_municipality,
         name="operator_remove"),
]
