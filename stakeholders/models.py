"""People at the customer, how they relate to each other, and our relationships with them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kam.lib.history import recorded
from kam.lib.models import TimeStampedModel
from kam.visibility import VisibleThroughAccountQuerySet


class StakeholderQuerySet(VisibleThroughAccountQuerySet):
    def key_people(self) -> "StakeholderQuerySet":
        return self.filter(Stakeholder.KEY_PERSON)


class Stakeholder(TimeStampedModel):
    class BuyingRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision-maker")
        ECONOMIC_BUYER = "economic_buyer", _("Economic buyer")
        TECHNICAL_BUYER = "technical_buyer", _("Technical buyer")
        USER = "user", _("User")
        INFLUENCER = "influencer", _("Influencer")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")
        CHAMPION = "champion", _("Champion")

    class Attitude(models.TextChoices):
        CHAMPION = "champion", _("Champion")
        SUPPORTER = "supporter", _("Supporter")
        NEUTRAL = "neutral", _("Neutral")
        SKEPTIC = "skeptic", _("Skeptic")
        OPPONENT = "opponent", _("Opponent")

    # How often a relationship with someone in this role needs a contact to stay warm.
    DEFAULT_CADENCE_DAYS = {
        BuyingRole.DECISION_MAKER: 30,
        BuyingRole.ECONOMIC_BUYER: 30,
        BuyingRole.CHAMPION: 30,
        BuyingRole.TECHNICAL_BUYER: 45,
        BuyingRole.INFLUENCER: 45,
        BuyingRole.GATEKEEPER: 60,
        BuyingRole.USER: 90,
    }
    # The people whose relationships the decay alerts watch.
    KEY_ROLES = (BuyingRole.DECISION_MAKER, BuyingRole.ECONOMIC_BUYER, BuyingRole.CHAMPION)
    KEY_INFLUENCE = 4
    KEY_PERSON = Q(buying_role__in=KEY_ROLES) | Q(influence__gte=KEY_INFLUENCE)
    # The people who sign: coverage counts how many of them have a warm relationship on our side.
    DECIDER_ROLES = (BuyingRole.DECISION_MAKER, BuyingRole.ECONOMIC_BUYER)

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="stakeholders"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
    )
    buying_role = models.CharField(_("buying-centre role"), max_length=20, choices=BuyingRole.choices)
    influence = models.PositiveSmallIntegerField(
        _("influence"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 (low) to 5")
    )
    attitude = models.CharField(_("attitude to us"), max_length=20, choices=Attitude.choices, default=Attitude.NEUTRAL)
    rising = models.BooleanField(_("rising"), default=False, help_text=_("Likely to take over tomorrow."))
    cadence_days = models.PositiveSmallIntegerField(
        _("contact cadence (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("How often someone should be in touch. Empty: the default for the role."),
    )
    relationship_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relationship owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_stakeholders",
    )

    objects = StakeholderQuerySet.as_manager()
    history = recorded()

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            # The order of the people list and API: the first page without sorting everybody.
            models.Index(Lower("last_name"), Lower("first_name"), "id", name="stakeholder_name_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5),
                name="stakeholder_influence_1_to_5",
                violation_error_message=_("Influence lies between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=Q(cadence_days__gte=1, cadence_days__lte=365),
                name="stakeholder_cadence_1_to_365",
                violation_error_message=_("The cadence lies between 1 and 365 days."),
            ),
            models.CheckConstraint(
                condition=~Q(reports_to=models.F("pk")),
                name="stakeholder_not_own_manager",
                violation_error_message=_("Nobody reports to themselves."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_key_person(self) -> bool:
        return is_key_person(self.buying_role, self.influence)

    @classmethod
    def key_person_sql(cls, alias: str) -> str:
        """KEY_PERSON as an SQL condition on the stakeholders table named `alias` (the jobs'
        set-based statements)."""
        roles = ", ".join(f"'{role}'" for role in cls.KEY_ROLES)
        return f"({alias}.buying_role IN ({roles}) OR {alias}.influence >= {int(cls.KEY_INFLUENCE)})"


def is_key_person(buying_role: str, influence: int) -> bool:
    """Stakeholder.KEY_PERSON for values in hand (a row not saved yet, generated data)."""
    return buying_role in Stakeholder.KEY_ROLES or influence >= Stakeholder.KEY_INFLUENCE


class Position(models.Model):
    """One job a stakeholder held: where and as what, from when to when (open = current)."""

    stakeholder = models.ForeignKey(
        Stakeholder, verbose_name=_("stakeholder"), on_delete=models.CASCADE, related_name="positions"
    )
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="positions"
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = VisibleThroughAccountQuerySet.as_manager()
    history = recorded()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder"],
                condition=Q(ended_on__isnull=True),
                name="position_one_current_per_stakeholder",
                violation_error_message=_("A person holds one current position."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
                violation_error_message=_("A position cannot end before it started."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} – {self.job_title} ({self.account})"


class InfluenceLinkQuerySet(VisibleThroughAccountQuerySet):
    account_field = "source__account"


class InfluenceLink(TimeStampedModel):
    """The informal politics: who sways whom, who sticks together, who fights whom."""

    class Kind(models.TextChoices):
        INFLUENCES = "influences", _("influences")
        ALLIED = "allied", _("allied with")
        RIVAL = "rival", _("rival of")

    source = models.ForeignKey(
        Stakeholder, verbose_name=_("from"), on_delete=models.CASCADE, related_name="outgoing_links"
    )
    target = models.ForeignKey(
        Stakeholder, verbose_name=_("to"), on_delete=models.CASCADE, related_name="incoming_links"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    strength = models.PositiveSmallIntegerField(
        _("strength"), default=2, validators=[MinValueValidator(1), MaxValueValidator(3)], help_text=_("1 (weak) to 3")
    )

    objects = InfluenceLinkQuerySet.as_manager()
    history = recorded()

    class Meta:
        verbose_name = _("influence link")
        verbose_name_plural = _("influence links")
        ordering = ["source", "kind", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"],
                name="influence_link_once",
                violation_error_message=_("This link already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="influence_link_not_to_self",
                violation_error_message=_("A person cannot be linked to themselves."),
            ),
            models.CheckConstraint(
                condition=Q(strength__gte=1, strength__lte=3),
                name="influence_link_strength_1_to_3",
                violation_error_message=_("Strength lies between 1 and 3."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class Interaction(TimeStampedModel):
    """A contact with people of one customer group: who met whom, when, how it went."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("Email")
        EVENT = "event", _("Event")
        NOTE = "note", _("Note")

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="interactions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    occurred_at = models.DateTimeField(_("when"))
    summary = models.TextField(_("summary"), max_length=4000)
    sentiment = models.CharField(_("sentiment"), max_length=20, choices=Sentiment.choices, default=Sentiment.NEUTRAL)
    stakeholders = models.ManyToManyField(Stakeholder, verbose_name=_("people"), related_name="interactions")
    colleagues = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("colleagues"), related_name="interactions"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="logged_interactions",
    )

    objects = VisibleThroughAccountQuerySet.as_manager()
    history = recorded(m2m=("stakeholders", "colleagues"))

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["account", "-occurred_at"]), models.Index(fields=["-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d} ({self.account})"


class GiveQuerySet(VisibleThroughAccountQuerySet):
    account_field = "stakeholder__account"


class Give(TimeStampedModel):
    """Pay forward: something of value given to a person without asking for anything back,
    or a favour received from them. The balance of both is the reciprocity ledger."""

    class Direction(models.TextChoices):
        GIVEN = "given", _("Given")
        RECEIVED = "received", _("Received")

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("Introduction to a third person")
        INFORMATION = "information", _("Information")
        EXPERT_ACCESS = "expert_access", _("Access to an internal expert")
        RECOMMENDATION = "recommendation", _("Recommendation")
        NEWS_POINTER = "news_pointer", _("Pointer to news")
        OTHER = "other", _("Other")

    stakeholder = models.ForeignKey(
        Stakeholder, verbose_name=_("stakeholder"), on_delete=models.CASCADE, related_name="gives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("colleague"), on_delete=models.CASCADE, related_name="gives"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.GIVEN)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    description = models.CharField(_("description"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = GiveQuerySet.as_manager()
    history = recorded()

    class Meta:
        verbose_name = _("give")
        verbose_name_plural = _("gives")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["stakeholder", "user", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.get_kind_display()} ({self.stakeholder})"


class RelationshipQuerySet(VisibleThroughAccountQuerySet):
    account_field = "stakeholder__account"

    def warm(self) -> "RelationshipQuerySet":
        return self.filter(status=Relationship.Status.WARM)


class Relationship(models.Model):
    """One colleague's relationship with one stakeholder. Strength and status are computed by
    stakeholders.decay from the interactions and gives between the two; never typed in."""

    class Status(models.TextChoices):
        WARM = "warm", _("warm")
        COOLING = "cooling", _("cooling")
        COLD = "cold", _("cold")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("colleague"), on_delete=models.CASCADE, related_name="relationships"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, verbose_name=_("stakeholder"), on_delete=models.CASCADE, related_name="relationships"
    )
    strength = models.PositiveSmallIntegerField(_("strength"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COLD)
    last_interaction_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["-strength", "pk"]
        indexes = [models.Index(fields=["stakeholder", "status"]), models.Index(fields=["-strength", "id"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "stakeholder"], name="relationship_once_per_pair"),
            models.CheckConstraint(condition=Q(strength__lte=100), name="relationship_strength_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.stakeholder}: {self.strength} ({self.get_status_display()})"


class AlertQuerySet(VisibleThroughAccountQuerySet):
    def open(self) -> "AlertQuerySet":
        return self.filter(resolved_at__isnull=True)


class Alert(models.Model):
    """A key person's relationship needs attention: raised and resolved by stakeholders.alerts.watch,
    addressed to the person's relationship owner. At most one open alert per cause (kind, person,
    owner); a resolved one may be raised again later. What the alert says is kept as facts
    (days without contact, cadence) and worded in the reader's language by `message`."""

    class Kind(models.TextChoices):
        RELATIONSHIP_DECAY = "relationship_decay", _("Relationship gone cold")
        CADENCE_MISSED = "cadence_missed", _("Contact cadence missed")

    class Resolution(models.TextChoices):
        MANUAL = "manual", _("Resolved by hand")
        WITHIN_CADENCE = "within_cadence", _("Back within the cadence")
        SUPERSEDED = "superseded", _("Superseded: the relationship has gone cold")
        NOT_WATCHED = "not_watched", _("No longer watched (owner or role changed)")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.CASCADE, related_name="alerts"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, verbose_name=_("stakeholder"), on_delete=models.CASCADE, related_name="alerts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("relationship owner"), on_delete=models.CASCADE, related_name="alerts"
    )
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    days_without_contact = models.PositiveIntegerField(_("days without contact"))
    cadence_days = models.PositiveSmallIntegerField(_("contact cadence (days)"))
    raised_at = models.DateTimeField(_("raised at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=20, choices=Resolution.choices, blank=True)
    resolution_note = models.CharField(_("note"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resolved_alerts",
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["stakeholder", "user", "kind"]),
            models.Index(fields=["user", "resolved_at"]),
            models.Index(fields=["-raised_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "stakeholder", "user"],
                condition=Q(resolved_at__isnull=True),
                name="alert_one_open_per_cause",
                violation_error_message=_("This alert is already open."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=""),
                name="alert_resolved_with_a_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.stakeholder} ({self.user})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def reason(self) -> str:
        facts = {"days": self.days_without_contact, "cadence": self.cadence_days}
        if self.last_contact_at is None:
            return _("never contacted, assigned %(days)s days ago; cadence %(cadence)s days") % facts
        if self.kind == self.Kind.RELATIONSHIP_DECAY:
            return _("%(days)s days without contact, more than twice the cadence of %(cadence)s days") % facts
        return _("%(days)s days without contact; cadence %(cadence)s days") % facts

    @property
    def message(self) -> str:
        names = {
            "person": self.stakeholder.full_name,
            "account": self.account.name,
            "owner": self.user.display_name,
            "reason": self.reason,
        }
        if self.kind == self.Kind.RELATIONSHIP_DECAY:
            return _("%(owner)s's relationship with %(person)s (%(account)s) has gone cold: %(reason)s.") % names
        return _("%(owner)s missed the contact cadence with %(person)s (%(account)s): %(reason)s.") % names


class AlertDigest(models.Model):
    """That a user's daily alert digest went out: a digest run that is delivered twice (a worker
    lost after sending) skips who already got theirs that day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="alert_digests"
    )
    day = models.DateField(_("day"))
    alert_count = models.PositiveIntegerField(_("alerts"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert digest")
        verbose_name_plural = _("alert digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="alert_digest_once_per_day")]

    def __str__(self) -> str:
        return f"{self.user} · {self.day}"
