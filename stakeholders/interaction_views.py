"""Placeholder until the page lands."""

from django.http import HttpResponse


def quick_log(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def people_search(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def interaction_edit(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def interaction_delete(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)
