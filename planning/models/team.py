"""What the team around the plan works with: capacity, the calendar feed of due tasks, and
notifications."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from planning.models.activities import Activity
from planning.models.requests import Request


class Capacity(models.Model):
    """How many hours a week a colleague gives to key account work."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("colleague"), on_delete=models.CASCADE, related_name="capacity"
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
    )

    class Meta:
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0, hours_per_week__lte=80), name="capacity_0_to_80_hours"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.hours_per_week} h/week"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret in the URL of a user's task calendar: whoever knows it reads the feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("task assigned")
        DECLINED = "declined", _("task declined")
        COMPLETED = "completed", _("task completed")
        REQUEST_DECLINED = "request_declined", _("request declined")
        REQUEST_ACCEPTED = "request_accepted", _("request accepted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("for"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(Request, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"

    @property
    def message(self) -> str:
        """What happened, in the reader's language (rendered when shown, not when stored)."""
        params = {
            "actor": self.actor.display_name if self.actor else "–",
            "title": getattr(self.subject, "title", ""),
            "note": self.note,
        }
        if self.kind in (self.Kind.ASSIGNED, self.Kind.DECLINED, self.Kind.COMPLETED):
            params["account"] = self.activity.account.name
        return str(NOTIFICATION_TEXTS[self.kind]) % params

    @property
    def subject(self) -> "Activity | Request | None":
        # A requester hears about their request (they may not see the activity it became).
        return self.request if self.request_id else self.activity

    @property
    def target_url(self) -> str:
        return self.subject.get_absolute_url() if self.subject is not None else ""


NOTIFICATION_TEXTS = {
    Notification.Kind.ASSIGNED: _("%(actor)s handed you the task “%(title)s” on %(account)s."),
    Notification.Kind.DECLINED: _("%(actor)s declined the task “%(title)s”: %(note)s"),
    Notification.Kind.COMPLETED: _("%(actor)s completed the task “%(title)s”."),
    Notification.Kind.REQUEST_ACCEPTED: _("%(actor)s accepted your request “%(title)s” into the plan."),
    Notification.Kind.REQUEST_DECLINED: _("%(actor)s declined your request “%(title)s”: %(note)s"),
}
