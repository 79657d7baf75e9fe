"""Workspace views. Placeholder until filled."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
@permission_required("accounts.access_workspace", raise_exception=True)
def my_day(request: HttpRequest) -> HttpResponse:
    return render(request, "relations/workspace_base.html")
