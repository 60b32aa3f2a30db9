from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from kam.lib.history import recorded
from kam.lib.models import TimeStampedModel
from kam.lib.numbers import ratio
from kam.visibility import restrict_to_editable, restrict_to_visible

ZERO = Decimal("0")
HUNDRED = Decimal("100")


class AccountQuerySet(models.QuerySet):
    def active(self) -> "AccountQuerySet":
        return self.filter(archived_at__isnull=True)

    def key_accounts(self) -> "AccountQuerySet":
        return self.filter(is_key_account=True)

    def roots(self) -> "AccountQuerySet":
        return self.filter(parent__isnull=True)

    def visible_to(self, user) -> "AccountQuerySet":
        return restrict_to_visible(self, user)

    def editable_by(self, user) -> "AccountQuerySet":
        return restrict_to_editable(self, user)


class Account(TimeStampedModel):
    """A node of a customer group: the group itself, its headquarters, subsidiaries, brands,
    country branches and participations. Parent links form the hierarchy (see hierarchy.py)."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group")
        HEADQUARTERS = "headquarters", _("Headquarters")
        SUBSIDIARY = "subsidiary", _("Subsidiary")
        BRAND = "brand", _("Brand")
        BRANCH = "branch", _("Branch")
        PARTICIPATION = "participation", _("Participation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    ownership_share = models.DecimalField(
        _("ownership share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
        help_text=_("For participations: the share of the parent, 0–100 %."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (KAM)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )
    is_key_account = models.BooleanField(_("key account"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    objects = AccountQuerySet.as_manager()
    history = recorded()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["kind", "country"]),
            models.Index(Lower("name"), "id", name="account_name_order"),  # the account list's order
            # The portfolio reads every active key account: a few hundred among tens of thousands.
            models.Index(
                fields=["name"], condition=Q(is_key_account=True, archived_at__isnull=True), name="active_key_account"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ownership_share__isnull=True) | Q(ownership_share__gte=0, ownership_share__lte=100),
                name="account_share_between_0_and_100",
                violation_error_message=_("The ownership share lies between 0 and 100 %."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="participation") | Q(ownership_share__isnull=False),
                name="account_participation_has_share",
                violation_error_message=_("A participation needs an ownership share."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="account_not_own_parent",
                violation_error_message=_("An account cannot be its own parent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class AccountTeamMember(TimeStampedModel):
    class Role(models.TextChoices):
        GLOBAL_KAM = "global_kam", _("Global key account manager")
        LOCAL_ACCOUNT_MANAGER = "local_account_manager", _("Local account manager")
        SPECIALIST = "specialist", _("Specialist")
        EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")

    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="account_roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    history = recorded()

    class Meta:
        verbose_name = _("account team member")
        verbose_name_plural = _("account team")
        ordering = ["account", "role", "user"]
        constraints = [models.UniqueConstraint(fields=["account", "user"], name="team_member_once_per_account")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.account})"


class ProductLine(TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Figure(TimeStampedModel):
    """An amount per account × product line × year; revenue and potential share this shape."""

    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.CASCADE)
    product_line = models.ForeignKey(ProductLine, verbose_name=_("product line"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)])
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(ZERO)])

    class Meta:
        abstract = True
        ordering = ["-year", "account", "product_line"]

    def __str__(self) -> str:
        return f"{self.account} · {self.product_line.code} · {self.year}: {self.amount}"


class Revenue(Figure):
    history = recorded()

    class Meta(Figure.Meta):
        verbose_name = _("revenue")
        verbose_name_plural = _("revenues")
        default_related_name = "revenues"
        constraints = [
            models.UniqueConstraint(
                fields=["account", "product_line", "year"],
                name="revenue_once_per_cell",
                violation_error_message=_("This account already has a revenue for this product line and year."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="revenue_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]


class Potential(Figure):
    confidence = models.PositiveSmallIntegerField(_("confidence (%)"), default=50, validators=[MaxValueValidator(100)])

    history = recorded()

    class Meta(Figure.Meta):
        verbose_name = _("potential")
        verbose_name_plural = _("potentials")
        default_related_name = "potentials"
        constraints = [
            models.UniqueConstraint(
                fields=["account", "product_line", "year"],
                name="potential_once_per_cell",
                violation_error_message=_("This account already has a potential for this product line and year."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="potential_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(condition=Q(confidence__lte=100), name="potential_confidence_max_100"),
        ]


class RelationshipHealth:
    """Health and coverage from the counts of a snapshot (or a row read from one)."""

    key_people: int
    warm_key_people: int
    decision_makers: int
    covered_decision_makers: int

    @property
    def health(self) -> Decimal | None:
        """Share of the key people with a warm relationship on our side; None without key people."""
        return ratio(self.warm_key_people, self.key_people)

    @property
    def coverage(self) -> Decimal | None:
        """Share of the decision-makers and economic buyers with a warm relationship."""
        return ratio(self.covered_decision_makers, self.decision_makers)


class AccountSnapshot(RelationshipHealth, models.Model):
    """One node's figures on one day, written by the potential job (kam.top.snapshots) so that
    dashboards can show trends. Never edited by hand; one row per node and day."""

    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="snapshots")
    group = models.ForeignKey(
        Account, verbose_name=_("group"), on_delete=models.CASCADE, related_name="group_snapshots"
    )
    day = models.DateField(_("day"))
    year = models.PositiveSmallIntegerField(_("year"))
    own_revenue = models.DecimalField(_("own revenue"), max_digits=18, decimal_places=2)
    own_potential = models.DecimalField(_("own potential"), max_digits=18, decimal_places=2)
    own_whitespace = models.DecimalField(_("own whitespace"), max_digits=18, decimal_places=2)
    own_share_of_wallet = models.DecimalField(
        _("own share of wallet"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    rollup_revenue = models.DecimalField(_("rolled-up revenue"), max_digits=18, decimal_places=2)
    rollup_potential = models.DecimalField(_("rolled-up potential"), max_digits=18, decimal_places=2)
    rollup_whitespace = models.DecimalField(_("rolled-up whitespace"), max_digits=18, decimal_places=2)
    rollup_share_of_wallet = models.DecimalField(
        _("rolled-up share of wallet"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    # 1 = the untapped node (no own revenue yet) with the most whitespace in its group; null for the others.
    whitespace_rank = models.PositiveIntegerField(_("whitespace rank"), null=True, blank=True)
    # Relationship health over the node's whole subtree (people count whole, participations too).
    key_people = models.PositiveIntegerField(_("key people"), default=0)
    warm_key_people = models.PositiveIntegerField(_("key people with a warm relationship"), default=0)
    decision_makers = models.PositiveIntegerField(_("decision-makers"), default=0)
    covered_decision_makers = models.PositiveIntegerField(_("decision-makers with a warm relationship"), default=0)
    open_alerts = models.PositiveIntegerField(_("open alerts"), default=0)
    nodes_with_revenue = models.PositiveIntegerField(_("accounts with revenue"), default=0)
    # {product line id: amount as text}, over the subtree like rollup_revenue.
    rollup_revenue_by_line = models.JSONField(_("rolled-up revenue per product line"), default=dict)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("account snapshot")
        verbose_name_plural = _("account snapshots")
        ordering = ["-day", "account"]
        indexes = [models.Index(fields=["group", "day"]), models.Index(fields=["day"])]
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="snapshot_once_per_account_and_day")]

    def __str__(self) -> str:
        return f"{self.account} · {self.day}"


class CurrentSnapshot(models.Model):
    """Which snapshot of a node is its newest, kept by the potential job: lists such as the
    portfolio dashboard join an account to its current figures in one step and sort by them,
    instead of searching each node's history for its latest day."""

    account = models.OneToOneField(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, primary_key=True, related_name="current"
    )
    snapshot = models.OneToOneField(
        AccountSnapshot, verbose_name=_("snapshot"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("current snapshot")
        verbose_name_plural = _("current snapshots")

    def __str__(self) -> str:
        return f"{self.account_id} → {self.day}"


class StaleGroup(models.Model):
    """A group whose snapshot is out of date: written in the same transaction as the change (a
    figure, a move), so that nothing is lost when the broker is down; the potential job deletes
    the row once it has recomputed the group. Its presence is also the progress shown on the page."""

    group = models.OneToOneField(
        Account, verbose_name=_("group"), on_delete=models.CASCADE, primary_key=True, related_name="stale_mark"
    )
    requested_at = models.DateTimeField(_("requested at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("group awaiting recompute")
        verbose_name_plural = _("groups awaiting recompute")

    def __str__(self) -> str:
        return f"{self.group_id} since {self.requested_at}"
