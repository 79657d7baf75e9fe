"""Portal accounts: the relationship manager invites an employer's contact person (workspace),
and a candidate makes an account from the "my registrations" page (signed e-mail link)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record
from core.workspace import workspace_view
from relations import selectors
from relations.models import ContactPerson

from . import links
from .services import accounts
from .services import meetups as meetup_services
from .views_public import link_page


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


@link_page
def candidate_account_create(request: HttpRequest, token: str) -> HttpResponse:
    """The "Make an account" button on "my registrations" (POST only; GET goes back)."""
    candidate = links.candidate_from_my_registrations_token(token)
    mine = reverse("meetups_public:mine", args=[token])
    if request.method != "POST":
        return redirect(mine)
    try:
        accounts.create_candidate_user(candidate.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("We sent you an e-mail with a link to choose a password. "
                                    "Then you can log in with your e-mail address."))
    return redirect(mine)
