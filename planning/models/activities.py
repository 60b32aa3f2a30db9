"""Activities (the work, handed to colleagues anywhere), what counts as open and overdue, and
the history of every hand-off."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kam.lib.models import TimeStampedModel
from kam.visibility import restrict_to_editable, visible_account_ids
from planning.models.plans import AccountPlan, Objective
from planning.priority import explain, score


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActivityQuerySet":
        """Activities on accounts `user` sees, plus every activity ever assigned to them (their
        own history stays readable after the task, and with it the node, is gone)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        ids = visible_account_ids(user)
        if ids is None:
            return self
        return self.filter(Q(account_id__in=ids) | Q(assignee_id=user.pk))

    def editable_by(self, user) -> "ActivityQuerySet":
        return restrict_to_editable(self, user, "account")

    def held(self) -> "ActivityQuerySet":
        """Held by their assignee: assigned, accepted or in progress."""
        return self.filter(status__in=Activity.HELD_STATUSES)

    def open(self) -> "ActivityQuerySet":
        return self.filter(open_activity())

    def overdue(self, today: date | None = None) -> "ActivityQuerySet":
        return self.filter(overdue_activity(today or timezone.localdate()))


def open_activity(path: str = "") -> Q:
    """Still to do: neither done nor cancelled. `path` reaches activities from another model
    (e.g. "activities__" from a plan)."""
    return ~Q(**{f"{path}status__in": Activity.CLOSED_STATUSES})


def overdue_activity(today: date, path: str = "") -> Q:
    """Open and due before `today` (the user's local date)."""
    return open_activity(path) & Q(**{f"{path}due_on__lt": today})


class Activity(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ASSIGNED = "assigned", _("assigned")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    # An assignee holding an activity in one of these has an open task on its account, which
    # lets them see that account and its people (planning.scopes).
    HELD_STATUSES = (Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS)
    CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="activities"
    )
    plan = models.ForeignKey(
        AccountPlan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objective"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    stakeholders = models.ManyToManyField(
        "stakeholders.Stakeholder", verbose_name=_("people involved"), blank=True, related_name="activities"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    impact = models.PositiveSmallIntegerField(
        _("impact"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 (low) to 5")
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 (low) to 5")
    )
    effort_hours = models.DecimalField(
        _("effort (hours)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("4"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("2000"))],
    )
    priority_score = models.DecimalField(_("priority"), max_digits=6, decimal_places=2, default=Decimal("0"))
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-priority_score", "due_on", "pk"]
        indexes = [
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["plan", "-priority_score"]),
            models.Index(fields=["account", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="activity_impact_1_to_5"),
            models.CheckConstraint(condition=Q(urgency__gte=1, urgency__lte=5), name="activity_urgency_1_to_5"),
            models.CheckConstraint(condition=Q(effort_hours__gt=0), name="activity_effort_positive"),
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "accepted", "in_progress", "declined"])
                | Q(assignee__isnull=False),
                name="activity_handed_over_has_assignee",
                violation_error_message=_("An assigned activity needs an assignee."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("planning:activity_detail", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        # Derived from the row's own fields only, stored so that lists can sort by it in SQL.
        self.priority_score = score(self.impact, self.urgency, self.effort_hours)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "priority_score"}
        super().save(*args, **kwargs)

    @property
    def priority_explanation(self) -> str:
        return explain(self.impact, self.urgency, self.effort_hours)

    @property
    def is_held(self) -> bool:
        return self.status in self.HELD_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    def is_overdue(self, today: date) -> bool:
        """The same rule as `overdue_activity`, for a row in hand."""
        return self.is_open and self.due_on is not None and self.due_on < today


class ActivityEvent(models.Model):
    """The history of an activity: every hand-off and every answer, with who gave it."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        ASSIGNED = "assigned", _("assigned")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        STARTED = "started", _("started")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")
        REOPENED = "reopened", _("reopened")

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Activity.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Activity.Status.choices, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_kind_display()}"
