"""Pages behind the links in e-mails. (Placeholders: built by the views work.)"""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404


confirm = manage = cancel = candidate_survey = mine = employer = employer_survey = _todo
