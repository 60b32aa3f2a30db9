"""Placeholder until the page lands."""

from django.http import HttpResponse


def account_people(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def account_timeline(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)
