"""Relationship strength and status: how warm one colleague's relationship with one person is.

Each contact between the two earns points by its kind (a visit counts more than an email) and
its sentiment; each give or favour received earns points too. Points halve every
HALF_LIFE_DAYS, and only the last WINDOW_DAYS count. Strength is the sum, capped at 100.

Status compares the time since the last contact with the person's cadence: within the
cadence the relationship is warm, up to COLD_AFTER cadences it is cooling, beyond that (or
with no contact at all) it is cold. Notes are written about people, not with them, so they
earn nothing and are no contact.

`recompute()` applies this to many relationships in one SQL statement (after a logged contact
and in the decay job); `explain()` computes the same in Python for one person's relationships
and lists every contribution, so the stakeholder page can show why each is as warm as it is.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.db.models import CharField, Value
from django.utils import timezone

from stakeholders.models import Give, Interaction, Relationship, Stakeholder

HALF_LIFE_DAYS = 60
WINDOW_DAYS = 365
MAX_STRENGTH = 100
COLD_AFTER = 2  # cadences without contact

INTERACTION_POINTS = {
    Interaction.Kind.VISIT: 30,
    Interaction.Kind.MEETING: 25,
    Interaction.Kind.EVENT: 15,
    Interaction.Kind.CALL: 12,
    Interaction.Kind.EMAIL: 6,
    Interaction.Kind.NOTE: 0,
}
SENTIMENT_FACTOR = {
    Interaction.Sentiment.POSITIVE: 1.25,
    Interaction.Sentiment.NEUTRAL: 1.0,
    Interaction.Sentiment.NEGATIVE: 0.5,
}
# A favour received counts more than one given: it shows the relationship works both ways.
GIVE_POINTS = {Give.Direction.GIVEN: 15, Give.Direction.RECEIVED: 20}

Status = Relationship.Status


def points(base: float, age_days: float) -> float:
    if age_days > WINDOW_DAYS:
        return 0.0
    return base * 0.5 ** (max(age_days, 0.0) / HALF_LIFE_DAYS)


def strength_from(contributions: list[float]) -> int:
    # floor(x + 0.5), not round(): Python rounds halves to even, SQL away from zero.
    return min(MAX_STRENGTH, int(sum(contributions) + 0.5))


def status_from(days_since_contact: float | None, cadence_days: int) -> str:
    if days_since_contact is None or days_since_contact > COLD_AFTER * cadence_days:
        return Status.COLD
    if days_since_contact > cadence_days:
        return Status.COOLING
    return Status.WARM


def age_in_days(at: datetime, now: datetime) -> float:
    return (now - at).total_seconds() / 86400


@dataclass(frozen=True)
class Contribution:
    occurred_at: datetime
    label: str
    base: float
    points: float


@dataclass(frozen=True)
class Explanation:
    strength: int
    status: str
    cadence_days: int
    last_contact_at: datetime | None
    days_since_contact: int | None
    contributions: list[Contribution]

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def overdue_days(self) -> int | None:
        if self.days_since_contact is None:
            return None
        return max(self.days_since_contact - self.cadence_days, 0)


@dataclass(frozen=True)
class Event:
    """A contact or a give between one colleague and the person: what earns the relationship points."""

    user_id: int
    occurred_at: datetime
    label: str
    base: float


def contact_event(user_id: int, kind: str, sentiment: str, occurred_at: datetime) -> Event:
    label = f"{Interaction.Kind(kind).label} ({Interaction.Sentiment(sentiment).label})"
    return Event(user_id, occurred_at, label, INTERACTION_POINTS[kind] * SENTIMENT_FACTOR[sentiment])


def give_event(user_id: int, direction: str, kind: str, occurred_at: datetime) -> Event:
    label = f"{Give.Direction(direction).label}: {Give.Kind(kind).label}"
    return Event(user_id, occurred_at, label, GIVE_POINTS[direction])


def contact_events(interactions: Iterable[Interaction]) -> list[Event]:
    """One event per colleague of each contact (read with their colleagues prefetched)."""
    return [
        contact_event(colleague.pk, interaction.kind, interaction.sentiment, interaction.occurred_at)
        for interaction in interactions
        for colleague in interaction.colleagues.all()
    ]


def give_events(gives: Iterable[Give]) -> list[Event]:
    return [give_event(give.user_id, give.direction, give.kind, give.occurred_at) for give in gives]


def explain(
    *, stakeholder: Stakeholder, now: datetime | None = None, events: Iterable[Event] | None = None
) -> dict[int, Explanation]:
    """Strength and status of each colleague's relationship with `stakeholder`, with every
    contact that counts, keyed by the colleague's id. `events`: all of the person's contacts
    and gives (`contact_events`, `give_events`) when the caller has read them already; else
    one query reads them."""
    now = now or timezone.now()
    if events is None:
        events = _events_of(stakeholder, now)
    by_user: dict[int, list[Contribution]] = defaultdict(list)
    for event in events:
        if event.occurred_at <= now:
            by_user[event.user_id].append(_contribution(event.occurred_at, event.label, event.base, now))
    return {
        user_id: _explanation(contributions, stakeholder.cadence_days, now)
        for user_id, contributions in by_user.items()
    }


def _events_of(stakeholder: Stakeholder, now: datetime) -> list[Event]:
    """The person's contacts (one row per colleague) and gives up to `now`, in one UNION ALL."""
    contacts = Interaction.colleagues.through.objects.filter(
        interaction__stakeholders=stakeholder, interaction__occurred_at__lte=now
    ).values_list(
        "user_id",
        "interaction__kind",
        "interaction__sentiment",
        "interaction__occurred_at",
        Value("contact", output_field=CharField()),
    )
    gives = (
        Give.objects.filter(stakeholder=stakeholder, occurred_at__lte=now)
        .order_by()
        .values_list("user_id", "direction", "kind", "occurred_at", Value("give", output_field=CharField()))
    )
    return [
        contact_event(user_id, a, b, at) if source == "contact" else give_event(user_id, a, b, at)
        for user_id, a, b, at, source in contacts.union(gives, all=True)
    ]


def no_contact(cadence_days: int) -> Explanation:
    return _explanation([], cadence_days, timezone.now())


def _explanation(contributions: list[Contribution], cadence_days: int, now: datetime) -> Explanation:
    # Newest first; ties in a fixed order, so that the sum (and its rounding) does not depend on
    # the order the events were read in.
    contributions.sort(key=lambda c: (c.occurred_at, c.base, c.label), reverse=True)
    last_contact = next((c.occurred_at for c in contributions if c.base > 0), None)
    days = age_in_days(last_contact, now) if last_contact else None
    return Explanation(
        strength=strength_from([c.points for c in contributions]),
        status=status_from(days, cadence_days),
        cadence_days=cadence_days,
        last_contact_at=last_contact,
        days_since_contact=int(days) if days is not None else None,
        contributions=[c for c in contributions if age_in_days(c.occurred_at, now) <= WINDOW_DAYS],
    )


def _contribution(occurred_at: datetime, label: str, base: float, now: datetime) -> Contribution:
    return Contribution(occurred_at, label, base, points(base, age_in_days(occurred_at, now)))


def _case(column: str, values: dict) -> str:
    whens = " ".join(f"WHEN '{key}' THEN {float(value)}" for key, value in values.items())
    return f"(CASE {column} {whens} ELSE 0 END)"


def _age_days_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(CAST(EXTRACT(EPOCH FROM (%s - {column})) AS DOUBLE PRECISION) / 86400.0)"
    return f"(julianday(%s) - julianday({column}))"


def _now_param(now: datetime):
    if connection.vendor == "postgresql":
        return now
    # SQLite stores UTC datetimes as text; julianday() reads this form.
    return timezone.make_naive(now, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


_RECOMPUTE_SQL = """
WITH events AS (
    SELECT ic.user_id, ist.stakeholder_id, i.occurred_at AS at, {interaction_base} AS base
    FROM stakeholders_interaction i
    JOIN stakeholders_interaction_colleagues ic ON ic.interaction_id = i.id
    JOIN stakeholders_interaction_stakeholders ist ON ist.interaction_id = i.id
    WHERE i.occurred_at <= %s {interaction_scope}
    UNION ALL
    SELECT g.user_id, g.stakeholder_id, g.occurred_at, {give_base}
    FROM stakeholders_give g
    WHERE g.occurred_at <= %s {give_scope}
),
scored AS (
    SELECT user_id, stakeholder_id,
           SUM(CASE WHEN {event_age} <= {window} THEN base * POWER(0.5, {event_age} / {half_life}) ELSE 0 END) AS total,
           MAX(CASE WHEN base > 0 THEN at END) AS last_at
    FROM events GROUP BY user_id, stakeholder_id
),
computed AS (
    SELECT r.id, COALESCE(scored.total, 0) AS total, scored.last_at, s.cadence_days
    FROM stakeholders_relationship r
    JOIN stakeholders_stakeholder s ON s.id = r.stakeholder_id
    LEFT JOIN scored ON scored.user_id = r.user_id AND scored.stakeholder_id = r.stakeholder_id
    WHERE 1 = 1 {relationship_scope}
)
UPDATE stakeholders_relationship SET
    strength = CASE WHEN computed.total + 0.5 >= {max_strength} THEN {max_strength}
                    ELSE CAST(FLOOR(computed.total + 0.5) AS INTEGER) END,
    status = CASE WHEN computed.last_at IS NULL THEN 'cold'
                  WHEN {last_age} <= computed.cadence_days THEN 'warm'
                  WHEN {last_age} <= {cold_after} * computed.cadence_days THEN 'cooling'
                  ELSE 'cold' END,
    last_interaction_at = computed.last_at,
    computed_at = %s
FROM computed
WHERE stakeholders_relationship.id = computed.id
"""


def recompute(*, stakeholder_ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Recompute strength, status and last contact of every relationship (or of those with the
    given stakeholders) in one statement; returns how many relationships were updated."""
    now = now or timezone.now()
    if stakeholder_ids is not None and not stakeholder_ids:
        return 0
    scopes = {"interaction_scope": "", "give_scope": "", "relationship_scope": ""}
    if stakeholder_ids is not None:
        ids = ", ".join(str(int(pk)) for pk in stakeholder_ids)
        scopes = {
            "interaction_scope": f"AND ist.stakeholder_id IN ({ids})",
            "give_scope": f"AND g.stakeholder_id IN ({ids})",
            "relationship_scope": f"AND r.stakeholder_id IN ({ids})",
        }
    interaction_base = f"{_case('i.kind', INTERACTION_POINTS)} * {_case('i.sentiment', SENTIMENT_FACTOR)}"
    sql = _RECOMPUTE_SQL.format(
        interaction_base=interaction_base,
        give_base=_case("g.direction", GIVE_POINTS),
        event_age=_age_days_sql("at"),
        last_age=_age_days_sql("computed.last_at"),
        window=WINDOW_DAYS,
        half_life=float(HALF_LIFE_DAYS),
        max_strength=MAX_STRENGTH,
        cold_after=COLD_AFTER,
        **scopes,
    )
    # Seven placeholders, all "now": two event cut-offs, two event ages, two last-contact ages, computed_at.
    with connection.cursor() as cursor:
        cursor.execute(sql, [_now_param(now)] * 7)
        if connection.vendor == "sqlite":
            # Python's sqlite3 reports no row count for a statement that starts with WITH.
            cursor.execute("SELECT changes()")
            return cursor.fetchone()[0]
        return cursor.rowcount
