"""Account plans and their objectives, activities (the work, handed to colleagues anywhere),
requests from all sides and how they were triaged, capacity, notifications."""

import secrets
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
from kam.visibility import VisibleThroughAccountQuerySet, restrict_to_editable, visible_account_ids
from planning.priority import explain, score


class AccountPlan(TimeStampedModel):
    """What we want to reach with one key account in one year."""

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("key account"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)])
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = VisibleThroughAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        ordering = ["-year", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year"],
                name="plan_once_per_account_and_year",
                violation_error_message=_("This account already has a plan for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", args=[self.pk])


class ObjectiveQuerySet(VisibleThroughAccountQuerySet):
    account_field = "plan__account"


class Objective(TimeStampedModel):
    class Metric(models.TextChoices):
        MANUAL = "manual", _("Typed in")
        REVENUE_TOTAL = "revenue_total", _("Revenue, all product lines")
        REVENUE_PRODUCT_LINE = "revenue_product_line", _("Revenue of one product line")
        WARM_DECISION_MAKERS = "warm_decision_makers", _("Decision-makers with a warm relationship")
        NODES_WITH_REVENUE = "nodes_with_revenue", _("Accounts with revenue")

    plan = models.ForeignKey(AccountPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("why it matters"), max_length=2000, blank=True, help_text=_("Shown to colleagues who work on it.")
    )
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices, default=Metric.MANUAL)
    product_line = models.ForeignKey(
        "accounts.ProductLine",
        verbose_name=_("product line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_value = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    current_value = models.DecimalField(
        _("current value"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Only for typed-in metrics; the others fill themselves from the CRM."),
    )

    objects = ObjectiveQuerySet.as_manager()

    # Set by planning.metrics.attach_values() for the metrics that fill themselves.
    computed_value: Decimal | None = None

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(metric="revenue_product_line") | Q(product_line__isnull=False),
                name="objective_product_line_metric_has_line",
                violation_error_message=_("Choose the product line whose revenue counts."),
            ),
            models.CheckConstraint(condition=Q(target_value__gte=0), name="objective_target_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_computed(self) -> bool:
        return self.metric != self.Metric.MANUAL

    @property
    def value(self) -> Decimal | None:
        return self.computed_value if self.is_computed else self.current_value

    @property
    def progress(self) -> Decimal | None:
        """Share of the target reached, 0–1 (capped), None without a target."""
        if not self.target_value or self.value is None:
            return None
        return min(self.value / self.target_value, Decimal(1))


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
