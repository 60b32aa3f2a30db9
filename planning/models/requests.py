"""Requests from all sides and the KAM's decision about them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kam.lib.history import recorded
from kam.lib.models import TimeStampedModel
from kam.visibility import restrict_to_editable, visible_account_ids
from planning.models.activities import Activity


class RequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RequestQuerySet":
        """Requests on accounts `user` sees, and every request they logged themselves (so that
        whoever asked learns the answer and its reason)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        ids = visible_account_ids(user)
        if ids is None:
            return self
        return self.filter(Q(account_id__in=ids) | Q(logged_by_id=user.pk))

    def editable_by(self, user) -> "RequestQuerySet":
        return restrict_to_editable(self, user, "account")


class Request(TimeStampedModel):
    """A wish that reached the account team, and the KAM's decision about it."""

    class Source(models.TextChoices):
        INTERNAL = "internal", _("internal (our side)")
        CUSTOMER = "customer", _("customer")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="requests"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    requested_by = models.CharField(
        _("requested by"), max_length=200, help_text=_("Who asked, e.g. “Product management drives” or “Plant IT”.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    activity = models.OneToOneField(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request",
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="logged_requests",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = RequestQuerySet.as_manager()
    history = recorded()

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "account"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="request_declined_has_reason",
                violation_error_message=_("A declined request needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("planning:request_detail", args=[self.pk])
