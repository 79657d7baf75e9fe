"""Sign-up and Stripe's webhook on the national site."""

import logging

import stripe
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.antispam import public_form

from .forms import SignUpForm
from .models import SignUp
from .services import events
from .services.signup import SignUpRefused, confirm_checkout, open_checkout, start_sign_up
from .stripe_api import StripeUnavailable

logger = logging.getLogger(__name__)


def _sign_up_or_404(sign_up_id: str) -> SignUp:
    sign_up = SignUp.objects.filter(pk=sign_up_id).select_related("municipality").first()
    if sign_up is None:
        raise Http404
    return sign_up


def _checkout(request: HttpRequest, sign_up: SignUp) -> HttpResponse:
    """To Stripe Checkout, or back to the sign-up's page with a message (nothing lost)."""
    page = request.build_absolute_uri(reverse("billing:sign_up_page", args=[sign_up.pk]))
    try:
        url = open_checkout(sign_up, success_url=page + "?betaald=1", cancel_url=page)
    except StripeUnavailable:
        logger.warning("Stripe unreachable while opening Checkout for sign-up %s", sign_up.pk)
        return render(request, "billing/sign_up_page.html", {
            "sign_up": sign_up, "stripe_down": True}, status=503)
    except SignUpRefused as refused:
        return render(request, "billing/sign_up_page.html", {
            "sign_up": sign_up, "refused": str(refused)}, status=409)
    return redirect(url, permanent=False)


@never_cache
@public_form(rate="10/m", group="billing-sign-up")
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = start_sign_up(
                cbs_code=data["cbs_code"], plan=data["plan"],
                coordinator_name=data["coordinator_name"],
                coordinator_email=data["coordinator_email"],
                pay_by_invoice=data["pay_by_invoice"])
        except SignUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            return _checkout(request, record)
    status = 400 if form.is_bound else 200
    return render(request, "billing/sign_up.html", {"form": form}, status=status)


@never_cache
def sign_up_page(request: HttpRequest, sign_up_id: str) -> HttpResponse:
    """The sign-up's own page: pay (again), or follow the provisioning. Coming back from
    Checkout (?betaald=1), Stripe is asked at once whether the payment details are in, so the
    provisioning need not wait for the webhook."""
    record = _sign_up_or_404(sign_up_id)
    if request.GET.get("betaald") and record.status == SignUp.Status.CHECKOUT:
        try:
            if confirm_checkout(record):
                record.refresh_from_db()
        except StripeUnavailable:
            pass  # the webhook will tell us
    return render(request, "billing/sign_up_page.html", {"sign_up": record})


@require_POST
@public_form(rate="10/m", group="billing-sign-up")
def sign_up_pay(request: HttpRequest, sign_up_id: str) -> HttpResponse:
    return _checkout(request, _sign_up_or_404(sign_up_id))


@never_cache
def sign_up_status(request: HttpRequest, sign_up_id: str) -> HttpResponse:
    """The progress fragment the sign-up page polls (htmx) while the municipality is set up."""
    return render(request, "billing/_sign_up_status.html",
                  {"sign_up": _sign_up_or_404(sign_up_id)})


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify the signature over the raw body, store the event once, answer at once.
    400 for a bad, missing or stale signature and for a body that is not an event."""
    signature = request.headers.get("Stripe-Signature", "")
    if not signature:
        return JsonResponse({"error": "missing Stripe-Signature header"}, status=400)
    try:
        event, new = events.receive_event(request.body, signature)
    except stripe.SignatureVerificationError:
        return JsonResponse({"error": "invalid or expired signature"}, status=400)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "not a Stripe event"}, status=400)
    return JsonResponse({"received": True, "duplicate": not new})
