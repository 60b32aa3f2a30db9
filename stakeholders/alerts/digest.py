"""The daily alert digest: one mail per colleague with open alerts, listing them.

Mails go through Django's mail backend (the console unless EMAIL_HOST is set). A colleague gets
at most one digest a day, even if the job is delivered twice (AlertDigest records who got one).
"""

from datetime import date
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from stakeholders.models import Alert, AlertDigest


def send_digests(*, day: date | None = None) -> int:
    """Send today's digests; returns how many mails went out."""
    day = day or timezone.localdate()
    already = set(AlertDigest.objects.filter(day=day).values_list("user_id", flat=True))
    open_alerts = (
        Alert.objects.open()
        .filter(user__is_active=True)
        .exclude(user__email="")
        .exclude(user_id__in=already)
        .select_related("stakeholder", "account", "user")
        .order_by("user_id", "-raised_at", "-pk")
    )
    sent = 0
    with get_connection() as mail, translation.override(settings.LANGUAGE_CODE):
        for _user_id, rows in groupby(open_alerts.iterator(chunk_size=2000), key=lambda alert: alert.user_id):
            alerts = list(rows)
            sent += _send_one(mail, alerts, day)
    return sent


def _send_one(mail, alerts: list[Alert], day: date) -> int:
    user = alerts[0].user
    try:
        with transaction.atomic():
            # Recorded first, in the same transaction: a failed send rolls the record back.
            AlertDigest.objects.create(user=user, day=day, alert_count=len(alerts))
            new = [alert for alert in alerts if timezone.localdate(alert.raised_at) >= day]
            subject = ngettext(
                "KAM: %(count)s open relationship alert", "KAM: %(count)s open relationship alerts", len(alerts)
            ) % {"count": len(alerts)}
            body = render_to_string(
                "stakeholders/alerts/digest_email.txt",
                {"user": user, "alerts": alerts, "new_count": len(new), "day": day, "site": settings.KAM_SITE_URL},
            )
            mail.send_messages([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])])
    except IntegrityError:
        return 0  # a concurrent run sent this one
    return 1
