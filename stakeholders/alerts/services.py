"""Resolving a relationship alert by hand, with a note saying why."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.recompute import mark_stale
from kam.models import User
from stakeholders.alerts.selectors import may_resolve
from stakeholders.models import Alert

NOTE_MAX_LENGTH = 500


def alert_resolve(*, actor: User, alert: Alert, note: str) -> Alert:
    """Close `alert` by hand with a note saying why. It stays quiet until the next contact."""
    if not may_resolve(user=actor, alert=alert):
        raise PermissionDenied(_("Only the relationship owner or the account's KAM resolves this alert."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the alert is resolved.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("Keep the note to %(max)s characters (it has %(length)s).")
                % {"max": NOTE_MAX_LENGTH, "length": len(note)}
            }
        )
    with transaction.atomic():
        # Only an open alert: two people resolving at once must not overwrite each other.
        closed = Alert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolution=Alert.Resolution.MANUAL, resolution_note=note, resolved_by=actor
        )
        if closed:
            mark_stale([alert.account_id])
    if not closed:
        raise ValidationError(_("This alert is already resolved."))
    alert.refresh_from_db()
    return alert
