"""Tell a colleague that something happened to their task or request: a row they see in the
app, and an email sent once the change is committed (never for a change that rolled back)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from kam.models import User
from planning.models import Activity, Notification, Request


def send(
    *,
    recipient: User,
    kind: str,
    actor: User,
    activity: Activity | None = None,
    request: Request | None = None,
    note: str = "",
) -> Notification | None:
    if recipient.pk == actor.pk:
        return None  # nobody needs to be told what they just did
    notification = Notification.objects.create(
        user=recipient, kind=kind, actor=actor, activity=activity, request=request, note=note
    )
    if recipient.email:
        subject = _("KAM: %(what)s") % {"what": notification.get_kind_display()}
        body = f"{notification.message}\n\n{site_url()}{notification.target_url}\n"
        transaction.on_commit(
            # An unreachable mail server must not undo or fail the answer that was just saved.
            lambda: send_mail(subject, body, None, [recipient.email], fail_silently=True)
        )
    return notification


def site_url() -> str:
    return getattr(settings, "KAM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
