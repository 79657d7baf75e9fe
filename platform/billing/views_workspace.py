"""The coordinator's subscription page in the workspace: status, invoices, Stripe's portal."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .access import access_of
from .models import Subscription
from .services.lifecycle import customer_portal_url, invoices_of
from .stripe_api import StripeUnavailable

MANAGE = "accounts.manage_subscription"


def _coordinator(request: HttpRequest) -> None:
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied


@never_cache
@login_required
def subscription_page(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    municipality = request.tenant
    subscription = Subscription.objects.filter(municipality=municipality).first()
    invoices, stripe_down = [], False
    if subscription is not None:
        try:
            invoices = invoices_of(subscription)
        except StripeUnavailable:
            stripe_down = True
    return render(request, "billing/workspace_subscription.html", {
        "subscription": subscription, "access": access_of(municipality),
        "invoices": invoices, "stripe_down": stripe_down})


@require_POST
@login_required
def customer_portal(request: HttpRequest) -> HttpResponse:
    _coordinator(request)
    subscription = Subscription.objects.filter(municipality=request.tenant).first()
    if subscription is None:
        return redirect("billing_workspace:subscription")  # the page says there is none
    back = request.build_absolute_uri(reverse("billing_workspace:subscription"))
    try:
        return redirect(customer_portal_url(subscription, back))
    except StripeUnavailable:
        return render(request, "billing/workspace_subscription.html", {
            "subscription": subscription, "access": access_of(request.tenant),
            "invoices": [], "stripe_down": True}, status=503)
