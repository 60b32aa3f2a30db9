"""Search reads: the palette's top hits per kind, one kind's ranked results, and every kind's
results merged best first (the API without `type`). Everything goes through each model's
`visible_to` (kam.visibility); a hit's account is named only when the user sees that account
(an activity once assigned to a colleague stays theirs to read after the node is gone)."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, F, Value

from kam.models import User
from kam.top.search import backends, compiled
from kam.top.search.kinds import KINDS, Kind
from kam.top.search.normalize import Terms
from kam.visibility import in_account_ids, visible_account_id_list

PALETTE_HITS = 5  # per kind
PALETTE_DEPTH = 50  # candidates per way of matching, per kind, while typing (see backends)
PAGE_DEPTH = 200  # on a kind's results page and in the API: at most this many per way of matching
MIXED_DEPTH = 40  # per kind, when every kind is searched at once (the API without `type`)


@dataclass
class Hit:
    type: str
    id: int
    title: str
    snippet: str
    url: str
    account: dict | None  # {"id", "name"}, None when the user may not see the account
    score: float


@dataclass
class Group:
    kind: Kind
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # further hits exist beyond those shown


def palette(*, user: User, terms: Terms, kinds: list[str] | None = None, per_kind: int = PALETTE_HITS) -> list[Group]:
    """The best few hits of every kind (one query each), groups without hits left out."""
    groups, scope = [], visible_account_id_list(user)
    with compiled.planned_for(scope):
        for key in kinds or KINDS:
            groups += _palette_group(KINDS[key], user=user, scope=scope, terms=terms, per_kind=per_kind)
    return groups


def _palette_group(kind: Kind, *, user: User, scope: list[int] | None, terms: Terms, per_kind: int) -> list[Group]:
    def build(terms: Terms, scope: list[int] | None):
        found = backends.ranked(kind, user=user, scope=scope, terms=terms, depth=PALETTE_DEPTH)
        return _rows(kind, found, per_kind + 1, scope)

    rows = compiled.rows(("palette", per_kind, *_shape(kind, user)), build, terms, scope)
    if not rows:
        return []
    return [Group(kind, hits=_hits(kind, rows[:per_kind], terms), more=len(rows) > per_kind)]


def ranked_ids(*, user: User, terms: Terms, kind: str, filters: dict | None = None) -> list[tuple[str, int, float]]:
    """Every candidate of one kind as (type, id, score), best first: one query, ids only."""
    scope = visible_account_id_list(user)

    def build(terms: Terms, scope: list[int] | None):
        found = backends.ranked(KINDS[kind], user=user, scope=scope, terms=terms, filters=filters, depth=PAGE_DEPTH)
        return found.values("pk", "score")[: PAGE_DEPTH * 3]  # as many as three ways of matching give

    key = ("ids", tuple(sorted((filters or {}).items())), *_shape(KINDS[kind], user))
    with compiled.planned_for(scope):
        return [(kind, row["pk"], row["score"]) for row in compiled.rows(key, build, terms, scope)]


def every_kind(*, user: User, terms: Terms) -> list[Hit]:
    """The hits of all kinds merged best first (ties: in the palette's order of kinds): one
    query per kind, whatever it finds."""
    found, scope = [], visible_account_id_list(user)
    with compiled.planned_for(scope):
        for kind in KINDS.values():

            def build(terms: Terms, scope: list[int] | None, kind: Kind = kind):
                found = backends.ranked(kind, user=user, scope=scope, terms=terms, depth=MIXED_DEPTH)
                return _rows(kind, found, MIXED_DEPTH, scope)

            found += _hits(kind, compiled.rows(("mixed", *_shape(kind, user)), build, terms, scope), terms)
    order = {key: index for index, key in enumerate(KINDS)}
    return sorted(found, key=lambda hit: (-hit.score, order[hit.type]))


def hits(*, user: User, terms: Terms, ids: list[tuple[str, int, float]]) -> list[Hit]:
    """The hits for a page of ranked ids, in that order: one query per kind on the page. Read
    through the visibility rule again, since the ids may come from elsewhere (recent records)."""
    by_kind: dict[str, dict[int, float]] = {}
    scope = visible_account_id_list(user) if ids else None
    for key, pk, score in ids:
        by_kind.setdefault(key, {})[pk] = score
    found: dict[tuple[str, int], Hit] = {}
    for key, scores in by_kind.items():
        kind = KINDS[key]
        visible = backends.visible(kind, user=user, scope=scope).filter(pk__in=list(scores)).order_by()
        rows = _rows(kind, visible, len(scores), scope)
        for row in rows:
            row["score"] = scores[row["pk"]]
        found |= {(key, hit.id): hit for hit in _hits(kind, rows, terms)}
    return [found[(key, pk)] for key, pk, _score in ids if (key, pk) in found]


def _shape(kind: Kind, user: User) -> tuple:
    """What else a kind's query depends on: the user (and what their role lets them see) when
    the kind has a visibility rule of its own."""
    who = (user.pk, user.role, user.is_superuser, user.is_active) if kind.own_rule else None
    return (kind.key, who)


def _rows(kind: Kind, queryset, limit: int, scope: list[int] | None):
    account = {"hit_account_id": F(kind.account_field("id")), "hit_account_name": F(kind.account_field("name"))}
    # A record visible by its own rule may belong to an account the user does not see.
    seen = Value(True) if scope is None or not kind.own_rule else in_account_ids(scope, kind.account_id_field)
    account["hit_account_seen"] = ExpressionWrapper(seen, output_field=BooleanField())
    score = ("score",) if "score" in queryset.query.annotations else ()
    return queryset.values("pk", *kind.fields, *score, **account)[:limit]


def _hits(kind: Kind, rows, terms: Terms) -> list[Hit]:
    hits = []
    for row in rows:
        shown = kind.show(row, terms)
        account = {"id": row["hit_account_id"], "name": row["hit_account_name"]} if row["hit_account_seen"] else None
        hits.append(Hit(kind.key, row["pk"], shown.title, shown.snippet, shown.url, account, row.get("score", 0.0)))
    return hits
