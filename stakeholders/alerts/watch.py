"""Relationship alerts raised and resolved in SQL: the decay job and the refresh after a contact.

Who is watched: every *key person* (Stakeholder.KEY_PERSON: decision-maker, economic buyer,
champion, or influence >= 4) who has a relationship owner, through the owner's own relationship
with them. The owner is the one colleague accountable for keeping that person warm; alerting
every colleague who once met someone would bury the signal. Contacts by colleagues count for
their own relationships (and the page shows them), not for the owner's.

When: the days since the owner's last contact (or, never contacted, since the relationship was
set up, so that a person entered today is not "cold" today) against the person's cadence:

- more than the cadence: `cadence_missed`;
- more than COLD_AFTER (2) cadences: `relationship_decay` (the relationship has gone cold; this
  matches the relationship's status from stakeholders.decay once there has been contact).

At most one open alert per cause (kind, person, owner): the raising INSERT skips causes with an
open alert, and a partial unique constraint holds the line against concurrent runs. An open
alert whose condition no longer holds resolves itself: contact resumed (`within_cadence`), the
other kind applies now (`superseded`), or the person is no longer watched (`not_watched`). An
alert resolved by hand stays quiet until the next contact; after that, it may be raised again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from accounts.recompute import mark_stale
from stakeholders import decay
from stakeholders.models import Alert, Stakeholder

_DUE_CTES = """
watched AS (
    SELECT s.id AS stakeholder_id, s.account_id, s.relationship_owner_id AS user_id, s.cadence_days,
           r.last_interaction_at AS last_contact_at,
           COALESCE(r.last_interaction_at, r.created_at, s.created_at) AS since,
           {age} AS age
    FROM stakeholders_stakeholder s
    LEFT JOIN stakeholders_relationship r ON r.stakeholder_id = s.id AND r.user_id = s.relationship_owner_id
    WHERE s.relationship_owner_id IS NOT NULL
      AND {key_person} {person_scope}
),
due AS (
    SELECT watched.*, CASE WHEN age > {cold_after} * cadence_days THEN '{decay_kind}'
                           WHEN age > cadence_days THEN '{cadence_kind}' END AS kind
    FROM watched
)
"""

# An open alert closes when its kind is no longer due for that person and owner: nothing due any
# more (contact resumed), the other kind due now (superseded), or the pair not watched any more.
# A join, not correlated subqueries: one pass over the open alerts whatever their number.
_RESOLVE_SQL = """
WITH {ctes},
closing AS (
    SELECT a.id, CASE WHEN due.stakeholder_id IS NULL THEN 'not_watched'
                      WHEN due.kind IS NOT NULL THEN 'superseded'
                      ELSE 'within_cadence' END AS resolution
    FROM stakeholders_alert a
    LEFT JOIN due ON due.stakeholder_id = a.stakeholder_id AND due.user_id = a.user_id
    WHERE a.resolved_at IS NULL AND a.kind IN ({kinds}) {alert_scope}
      AND (due.kind IS NULL OR due.kind <> a.kind)
)
UPDATE stakeholders_alert SET resolved_at = %s, resolution = closing.resolution
FROM closing
WHERE stakeholders_alert.id = closing.id
"""

# Open alerts follow their person to a new node (a job change), so that they show where the
# person works now and to whoever may see that node.
_FOLLOW_SQL = """
UPDATE stakeholders_alert SET account_id = (
    SELECT s.account_id FROM stakeholders_stakeholder s WHERE s.id = stakeholders_alert.stakeholder_id
)
WHERE resolved_at IS NULL {scope} AND account_id <> (
    SELECT s.account_id FROM stakeholders_stakeholder s WHERE s.id = stakeholders_alert.stakeholder_id
)
"""

_RAISE_SQL = """
WITH {ctes}
INSERT INTO stakeholders_alert (
    kind, account_id, stakeholder_id, user_id, last_contact_at, days_without_contact, cadence_days,
    raised_at, resolution, resolution_note
)
SELECT due.kind, due.account_id, due.stakeholder_id, due.user_id, due.last_contact_at,
       CAST(FLOOR(due.age) AS INTEGER), due.cadence_days, %s, '', ''
FROM due
WHERE due.kind IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM stakeholders_alert a
    WHERE a.kind = due.kind AND a.stakeholder_id = due.stakeholder_id AND a.user_id = due.user_id
      -- open, or resolved by hand since the last contact: quiet until the next one
      AND (a.resolved_at IS NULL OR (a.resolution = 'manual' AND a.resolved_at >= due.since))
)
ON CONFLICT DO NOTHING
"""


@dataclass(frozen=True)
class AlertChanges:
    raised: int
    resolved: int


def refresh(*, stakeholder_ids: list[int] | None = None, now: datetime | None = None) -> AlertChanges:
    """Resolve the open alerts whose cause has gone, raise those due, and move open alerts to
    their person's current node, for everybody or for the given people: three statements.
    Relationships must be up to date (stakeholders.decay)."""
    now = now or timezone.now()
    if stakeholder_ids is not None and not stakeholder_ids:
        return AlertChanges(0, 0)
    person_scope = alert_scope = ""
    if stakeholder_ids is not None:
        ids = ", ".join(str(int(pk)) for pk in stakeholder_ids)
        person_scope = f"AND s.id IN ({ids})"
        alert_scope = f"AND a.stakeholder_id IN ({ids})"
    ctes = _DUE_CTES.format(
        age=decay._age_days_sql("COALESCE(r.last_interaction_at, r.created_at, s.created_at)"),
        key_person=Stakeholder.key_person_sql("s"),
        person_scope=person_scope,
        cold_after=int(decay.COLD_AFTER),
        decay_kind=Alert.Kind.RELATIONSHIP_DECAY,
        cadence_kind=Alert.Kind.CADENCE_MISSED,
    )
    kinds = ", ".join(f"'{kind}'" for kind in Alert.Kind.values)
    at = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _RESOLVE_SQL.format(ctes=ctes, kinds=kinds, alert_scope=alert_scope), [decay._now_param(now), at]
        )
        resolved = _changed_rows(cursor)
        cursor.execute(_RAISE_SQL.format(ctes=ctes), [decay._now_param(now), at])
        raised = _changed_rows(cursor)
        cursor.execute(_FOLLOW_SQL.format(scope=alert_scope.replace("a.", "stakeholders_alert.")))
    return AlertChanges(raised=raised, resolved=resolved)


def _changed_rows(cursor) -> int:
    if connection.vendor == "sqlite":
        # Python's sqlite3 reports no row count for a statement that starts with WITH.
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
    return cursor.rowcount


@dataclass
class DecayRun:
    relationships: int = 0
    raised: int = 0
    resolved: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "relationships": self.relationships,
            "raised": self.raised,
            "resolved": self.resolved,
            "seconds": self.seconds,
        }


def decay_job(*, now: datetime | None = None, progress: Callable[[str], None] | None = None) -> DecayRun:
    """The relationship decay job: every relationship's strength and status as of now, then the
    alerts. One transaction, so a run cut short leaves nothing half done, and a rerun is harmless."""
    now = now or timezone.now()
    run, clock = DecayRun(), time.monotonic()
    with transaction.atomic():
        run.relationships = decay.recompute(now=now)
        if progress:
            progress(_("%(count)s relationships recomputed") % {"count": run.relationships})
        changes = refresh(now=now)
        # Statuses and alerts moved everywhere: every group's health on the dashboards is due.
        mark_stale(Account.objects.roots().active().values_list("pk", flat=True))
    run.raised, run.resolved = changes.raised, changes.resolved
    run.seconds = round(time.monotonic() - clock, 3)
    return run
