"""Operators: their start page, every municipality with its subscription on the national
site, and removing a cancelled municipality after its export period."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tenants.models import Municipality

from .access import access_of
from .models import SignUp, Subscription
from .services.lifecycle import RemovalRefused, remove_cancelled_municipality

OPERATE = "accounts.operate_platform"


@login_required
@permission_required(OPERATE, raise_exception=True)
def operator_home(request: HttpRequest) -> HttpResponse:
    """The operator's start page: where the work is."""
    return render(request, "billing/operator_home.html")


@never_cache
@login_required
@permission_required(OPERATE, raise_exception=True)
def subscription_list(request: HttpRequest) -> HttpResponse:
    """Every participating municipality, with its subscription when it has one (provisioned
    by an operator or the demo: none)."""
    subscriptions = {s.municipality_id: s for s in Subscription.objects.all()}
    rows = [{"municipality": m, "subscription": subscriptions.get(m.pk), "access": access_of(m)}
            for m in Municipality.objects.participating().order_by("name")]
    open_sign_ups = SignUp.objects.exclude(status=SignUp.Status.PROVISIONED).only(
        "pk", "cbs_code", "plan", "status", "created_at", "error")[:50]
    return render(request, "billing/operator_list.html",
                  {"rows": rows, "sign_ups": open_sign_ups})


@never_cache
@login_required
@permission_required(OPERATE, raise_exception=True)
def remove_municipality(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription.objects.select_related("municipality"), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            code = remove_cancelled_municipality(
                subscription, confirm_name=request.POST.get("naam", ""),
                actor=f"{request.user.email} (/beheer/abonnementen/)")
        except RemovalRefused as refused:
            error = str(refused)
        else:
            messages.success(request, _("Municipality %(code)s and all its data have been "
                                        "removed.") % {"code": code})
            return redirect("billing:operator_list")
    return render(request, "billing/operator_remove.html", {
        "subscription": subscription, "access": access_of(subscription.municipality),
        "error": error}, status=400 if error else 200)
