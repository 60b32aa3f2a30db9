"""Placeholder until the page lands."""

from django.http import HttpResponse


def stakeholder_list(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def stakeholder_create(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def stakeholder_detail(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def stakeholder_edit(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def stakeholder_move(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def stakeholder_delete(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def give_add(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def give_delete(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def link_add(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)


def link_delete(request, **kwargs) -> HttpResponse:
    return HttpResponse(status=501)
