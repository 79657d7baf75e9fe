"""The target dashboard (/werkplek/doelen/) and the coordinator's period page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workspace import submit, workspace_view

from . import charts, progress
from .forms import NEW, ProjectPeriodForm
from .models import ProjectPeriod
from .services import set_project_period

MANAGE = "accounts.manage_targets"


def _chosen_period(request: HttpRequest, periods: list[ProjectPeriod],
                   current: progress.Period | None) -> progress.Period | None:
    """?periode=<id> (one of this municipality's periods, else 404), or the current one."""
    raw = request.GET.get("periode")
    if raw is None:
        return current
    row = next((row for row in periods if str(row.pk) == raw), None)
    if row is None:  # unknown, another municipality's, or not a number at all
        raise Http404
    return progress.period_from_row(row)


def _funnel_rows(steps: list[progress.FunnelStep]) -> list[dict]:
    largest = max((step.count for step in steps), default=0)
    return [{"step": step, "width": charts.bar_width(step.count, largest)} for step in steps]


@workspace_view
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    periods = list(ProjectPeriod.objects.all())
    current = progress.current_period(today=today)
    period = _chosen_period(request, periods, current)
    context = {"period": period, "periods": periods, "current": current,
               "can_manage": request.user.has_perm(MANAGE)}
    if period is None:
        return render(request, "targets/dashboard.html", context)
    targets = []
    for status in progress.target_progress(period, today):
        points = progress.burn_up(period, status.key, today=today)
        targets.append({"status": status, "points": points, "chart": charts.burn_up_chart(
            points, start=period.start, end=period.end, target=status.target)})
    funnel = progress.funnel(period, today=today)
    context.update({
        "today": today,
        "is_current": current is not None and current.id == period.id,
        "targets": targets,
        "managers": progress.per_manager(period, today=today),
        "candidate_funnel": _funnel_rows(funnel.candidates),
        "employer_funnel": _funnel_rows(funnel.employers),
        "zrm": progress.zrm_progress(),
        "ladder": progress.ladder_movement(period, today=today),
    })
    return render(request, "targets/dashboard.html", context)


@workspace_view
def period_edit(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    current = progress.current_period()
    can_edit_current = current is not None and current.id is not None
    initial = {}
    if current is not None:
        initial = {"start": current.start, "end": current.end,
                   **{f"target_{key}": current.targets[key] for key in progress.KEYS}}
    form = ProjectPeriodForm(request.POST or None, initial=initial,
                             can_edit_current=can_edit_current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        editing = can_edit_current and data.get("mode") != NEW
        saved = submit(form, lambda: set_project_period(
            by=request.user, period_id=current.id if editing else None,
            start=data["start"], end=data["end"],
            target_employer_contacts=data["target_employer_contacts"],
            target_regular_jobs=data["target_regular_jobs"],
            target_work_experience_places=data["target_work_experience_places"]))
        if saved is not None:
            messages.success(request, _("Project period saved."))
            return redirect("targets:dashboard")
    return render(request, "targets/period_form.html", {"form": form, "current": current})
