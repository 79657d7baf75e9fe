"""Workspace: the relationship manager invites an employer's contact person to the portal and
confirms a contact person who signed up on the website."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record
from core.workspace import workspace_view
from relations import selectors
from relations.models import ContactPerson

from ..services import accounts
from ..services import meetups as meetup_services


@workspace_view
@require_POST
def employer_invite_user(request: HttpRequest, pk: int) -> HttpResponse:
    """POST contact=<contact person id>: make a portal account and mail the link."""
    employer = get_object_or_404(selectors.visible_employers(request.user), pk=pk)
    try:
        contact_id = int(request.POST.get("contact", ""))
    except ValueError:
        raise Http404 from None
    contact = get_object_or_404(ContactPerson, pk=contact_id, employer=employer)
    try:
        accounts.invite_employer_user(employer.pk, contact.pk, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s got an e-mail with a link to choose a password "
                                    "for the portal.") % {"name": contact.name})
    return redirect("relations:employer_detail", pk=employer.pk)


@workspace_view
@require_POST
def employer_confirm_contact(request: HttpRequest, pk: int, contact: int) -> HttpResponse:
    """The relationship manager checked a contact person who signed up on the website."""
    employer = get_object_or_404(selectors.visible_employers(request.user), pk=pk)
    person = get_object_or_404(ContactPerson, pk=contact, employer=employer)
    meetup_services.confirm_employer_contact(person.pk, by=request.user)
    record("change", "contact_person", person.pk, request=request,
           detail=f"bevestigd: werkgever {employer.pk}")
    messages.success(request, _("%(name)s is confirmed as a contact person.")
                     % {"name": person.name})
    return redirect("relations:employer_detail", pk=employer.pk)
