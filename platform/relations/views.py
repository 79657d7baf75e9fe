"""Workspace: employers, contact moments and next actions (my day: `alerts.my_day`)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.workspace import paginate, query_without_page, submit, workspace_view

from . import access, exports, selectors, services
from .filters import EmployerFilter
from .forms import ContactMomentForm, ContactPersonForm, DoneForm, EmployerForm, NextActionForm
from .models import Candidate, ContactPerson, Employer
from .views_candidates import candidate_detail
from .views_common import relation_context

# --- employers -----------------------------------------------------------------------------

@workspace_view
def employer_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.visible_employers(request.user).select_related("owner")
    filterset = EmployerFilter(request.GET or None, queryset=queryset)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if request.GET.get("bestand") in ("csv", "xlsx"):
        return exports.export_employers(rows, request.GET["bestand"], request=request)
    # The search text is only for the WHERE clause: keep the rows narrow for deep pages.
    return render(request, "relations/employer_list.html", {
        "filter": filterset, "page": paginate(request, rows.defer("search_text")),
        "query": query_without_page(request)})


@workspace_view
def employer_create(request: HttpRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        employer = submit(form, lambda: services.create_employer(by=request.user,
                                                                 **form.changes()))
        if employer:
            messages.success(request, _("Employer saved."))
            return redirect("relations:employer_detail", pk=employer.pk)
    return render(request, "relations/employer_form.html", {"form": form})


@workspace_view
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(selectors.visible_employers(request.user), pk=pk)
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        if submit(form, lambda: services.update_employer(
                pk, by=request.user, expected_version=form.cleaned_data["version"],
                **form.changes()), reload=lambda: Employer.objects.get(pk=pk)):
            messages.success(request, _("Changes saved."))
            return redirect("relations:employer_detail", pk=pk)
    return render(request, "relations/employer_form.html", {"form": form, "employer": employer})


@workspace_view
def employer_detail(request: HttpRequest, pk: int, **forms) -> HttpResponse:
    employer = get_object_or_404(
        selectors.visible_employers(request.user).select_related("owner"), pk=pk)
    return render(request, "relations/employer_detail.html", {
        "employer": employer, "contacts": employer.contacts.all(),
        "contact_form": forms.get("contact_form") or ContactPersonForm(),
        **relation_context(request, employer, **forms)})


@workspace_view
@require_POST
def contact_person_add(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(selectors.visible_employers(request.user), pk=pk)
    form = ContactPersonForm(request.POST)
    if form.is_valid():
        services.add_contact_person(employer, **form.cleaned_data)
        messages.success(request, _("Contact person added."))
        return redirect("relations:employer_detail", pk=pk)
    return employer_detail(request, pk, contact_form=form)


@workspace_view
@require_POST
def contact_person_remove(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(ContactPerson.objects.select_related("employer"), pk=pk)
    services.remove_contact_person(person)
    messages.success(request, _("Contact person removed."))
    return redirect("relations:employer_detail", pk=person.employer_id)


# --- contact moments and next actions (employers and candidates) ---------------------------

def _relation_or_404(request: HttpRequest, kind: str, pk: int) -> Employer | Candidate:
    if kind == "werkgevers":
        return access.visible_or_404(request, selectors.visible_employers(request.user), pk,
                                     object_type="employer")
    return access.candidate_or_404(request, pk)


def _back_to(relation) -> HttpResponse:
    if isinstance(relation, Employer):
        return redirect("relations:employer_detail", pk=relation.pk)
    return redirect("relations:candidate_detail", pk=relation.pk)


def _detail_with(request: HttpRequest, relation, **forms) -> HttpResponse:
    view = employer_detail if isinstance(relation, Employer) else candidate_detail
    return view(request, relation.pk, **forms)


@workspace_view
@require_POST
def contact_moment_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    relation = _relation_or_404(request, kind, pk)
    form = ContactMomentForm(request.POST)
    if form.is_valid():
        if submit(form, lambda: services.log_contact_moment(relation, by=request.user,
                                                            **form.cleaned_data)):
            messages.success(request, _("Contact moment saved."))
            return _back_to(relation)
    return _detail_with(request, relation, moment_form=form)


@workspace_view
@require_POST
def next_action_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    relation = _relation_or_404(request, kind, pk)
    form = NextActionForm(request.POST, user=request.user)
    if form.is_valid():
        services.plan_next_action(relation, by=request.user, **form.cleaned_data)
        messages.success(request, _("Next action planned."))
        return _back_to(relation)
    return _detail_with(request, relation, action_form=form)


@workspace_view
@require_POST
def next_action_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark done; logs a contact moment. Only for actions on relations the user may see."""
    # Checked through the relation: an unshared colleague's candidate is a 404, not a 403.
    action = access.visible_or_404(request, selectors.visible_next_actions(request.user), pk,
                                   object_type="next_action")
    form = DoneForm(request.POST)
    form.is_valid()
    services.complete_next_action(action.pk, by=request.user,
                                  summary=form.cleaned_data.get("summary", ""))
    messages.success(request, _("Action done and logged in the timeline."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("workspace")
