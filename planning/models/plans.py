"""Account plans: what we want to reach with a key account in a year, and its objectives."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kam.lib.history import recorded
from kam.lib.models import TimeStampedModel
from kam.visibility import VisibleThroughAccountQuerySet


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
    history = recorded()

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
    history = recorded()

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
