"""Workspace screens of signals: the list and dismissal. Views call services."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.workspace import paginate, query_without_page, submit, workspace_view

from . import selectors, services
from .forms import DismissForm, SignalFilterForm


@workspace_view
def signal_list(request: HttpRequest) -> HttpResponse:
    """Open signals: a relationship manager's own; a coordinator's all, filterable."""
    coordinator = request.user.has_perm("accounts.handle_all_signals")
    filter_form = SignalFilterForm(request.GET or None, coordinator=coordinator)
    signals = filter_form.apply(selectors.visible_signals(request.user).open())
    return render(request, "alerts/signal_list.html", {
        "filter_form": filter_form, "page": paginate(request, signals),
        "query": query_without_page(request), "coordinator": coordinator,
        "dismiss_form": DismissForm()})


def _next_url(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@workspace_view
@require_http_methods(["GET", "POST"])
def signal_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Dismiss an open signal with a reason. A signal the user may not see is a 404."""
    signal = get_object_or_404(selectors.visible_signals(request.user).open(), pk=pk)
    form = DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: services.dismiss_signal(
                signal.pk, by=request.user, reason=form.cleaned_data["reason"])):
            messages.success(request, _("Signal dismissed."))
            return redirect(_next_url(request) or "alerts:signal_list")
    return render(request, "alerts/signal_dismiss.html", {
        "signal": signal, "form": form, "next": _next_url(request) or ""})
