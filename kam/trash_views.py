"""The Trash page: what was deleted with everything that hung on it, restorable for
KAM_TRASH_DAYS (kam.lib.trash); an administrator may purge an entry for good."""

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kam.lib import trash
from kam.lib.pagination import page_of


def _kind(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name).capitalize()
    except LookupError:
        return label


def _came_along(entry) -> list[str]:
    return [
        f"{count} × {_kind(label)}"
        for label, count in entry.counts.items()
        if label != entry.model and not apps.get_model(label)._meta.auto_created
    ]


@login_required
def trash_list(request: HttpRequest) -> HttpResponse:
    entries = trash.entries_for(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(title__icontains=q)
    page = page_of(request, entries)
    for entry in page.object_list:
        entry.kind = _kind(entry.model)
        entry.came_along = _came_along(entry)
    context = {"page": page, "q": q, "may_purge": trash.may_purge(request.user), "trash_days": settings.KAM_TRASH_DAYS}
    return render(request, "kam/trash.html", context)


@login_required
@require_POST
def trash_restore(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(trash.entries_for(request.user), pk=pk)
    try:
        restored = trash.restore(entry, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("trash")
    messages.success(request, _("%(record)s was restored.") % {"record": entry.title})
    if hasattr(restored, "get_absolute_url"):
        return redirect(restored)
    return redirect("trash")


@login_required
@require_POST
def trash_purge(request: HttpRequest, pk: int) -> HttpResponse:
    if not trash.may_purge(request.user):
        raise PermissionDenied(_("Only an administrator empties the trash."))
    entry = get_object_or_404(trash.entries_for(request.user), pk=pk)
    trash.purge(entry, actor=request.user)
    messages.success(request, _("%(record)s was removed for good.") % {"record": entry.title})
    return redirect("trash")
