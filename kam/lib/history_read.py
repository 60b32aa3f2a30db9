"""Reading the record back: who changed what from what to what (kam.lib.history writes it).

- `object_history(obj)`: every entry of one record, newest first (the API's
  `GET /api/<resource>/{id}/history/`), values as the API writes them (ids, choice values).
- `HistoryFeed`: the entries of several records at once (an account with its team and
  figures, a person with their positions, links and gives), newest first, one page at a time in
  a fixed number of queries, values worded for a reader (names, choice labels, dates in their
  language); names of what the reader may not see stay hidden.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kam.lib.history import CHANGED, CREATED, DELETED, RESTORED_REASON, snapshot_fields

ACTIONS = {CREATED: "created", CHANGED: "changed", DELETED: "deleted"}


@dataclass
class Change:
    field: str
    label: str
    old: object
    new: object
    old_text: str = ""
    new_text: str = ""


@dataclass
class Entry:
    at: datetime
    user_id: int | None
    action: str  # created, changed, deleted, restored
    model: type[models.Model]
    object_id: int
    changes: list[Change] = field(default_factory=list)
    user: object = None
    subject: str = ""
    # A change to a record whose earlier values were never recorded (made before history began,
    # or made-up demo data): who and when are known, not what it was before.
    baseline: bool = False

    def as_api(self) -> dict:
        return {
            "at": self.at,
            "user": {"id": self.user.pk, "name": self.user.display_name} if self.user else None,
            "action": self.action,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in self.changes],
        }


# --- one record: the API ----------------------------------------------------------------------


def object_history(obj: models.Model) -> list[Entry]:
    """Every recorded change of `obj`, newest first (two queries)."""
    model = type(obj)
    records = list(model.history.filter(id=obj.pk).order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        entry = _entry(model, record, previous)
        previous = record
        if entry.action != "changed" or entry.changes or entry.baseline:
            entries.append(entry)
    _attach_users(entries)
    for entry in entries:
        for change in entry.changes:
            change.old, change.new = _api_value(change.old), _api_value(change.new)
    return entries[::-1]


def _entry(model: type[models.Model], record, previous) -> Entry:
    action = ACTIONS[record.history_type]
    if record.history_type == CREATED and record.history_change_reason == RESTORED_REASON:
        action = "restored"
    entry = Entry(
        at=record.history_date, user_id=record.history_user_id, action=action, model=model, object_id=record.id
    )
    if record.history_type == CHANGED and previous is None:
        entry.baseline = True
    elif record.history_type != DELETED:
        entry.changes = _changes(model, previous if record.history_type == CHANGED else None, record)
    return entry


def _changes(model: type[models.Model], before, after) -> list[Change]:
    changes = []
    for name, label in _tracked(model):
        old = _value(model, before, name) if before is not None else None
        new = _value(model, after, name)
        if old != new and not (before is None and new in (None, "", [])):
            changes.append(Change(field=name, label=label, old=old, new=new))
    return changes


def _tracked(model: type[models.Model]) -> list[tuple[str, str]]:
    history_model = model.history.model
    names = [f.name for f in history_model.tracked_fields if f.name != "id"]
    names += list(snapshot_fields(model))
    return [(name, str(model._meta.get_field(name).verbose_name)) for name in names]


def _value(model: type[models.Model], record, name: str):
    if name in snapshot_fields(model):
        return sorted((record.history_m2m or {}).get(name, []))
    db_field = record._meta.get_field(name)
    value = getattr(record, db_field.attname)
    return getattr(value, "code", value)  # a country as its code


def _api_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _attach_users(entries: list[Entry]) -> None:
    ids = {entry.user_id for entry in entries if entry.user_id}
    users = get_user_model()._base_manager.in_bulk(ids) if ids else {}
    for entry in entries:
        entry.user = users.get(entry.user_id)


# --- several records, one page at a time: the pages -----------------------------------------


@dataclass(frozen=True)
class Source:
    """The records of one model whose history a page shows: `where` filters its historical
    rows (e.g. Q(account_id=7) for an account's revenue). Rows of another model than the
    page's own are named by the model and the values of `context` ("Revenue · PL1 · 2025")."""

    model: type[models.Model]
    where: Q
    context: tuple[str, ...] = ()
    named: bool = True


class HistoryFeed:
    def __init__(self, sources: list[Source], *, user) -> None:
        self.sources = sources
        self.user = user

    def page(self, number, per_page: int) -> Page:
        """Page `number` of the entries, newest first, each worded for `self.user`."""
        page = Paginator(self._index(), per_page).get_page(number)
        page.object_list = self._entries(list(page.object_list))
        return page

    def _index(self) -> QuerySet:
        parts = [
            source.model.history.filter(source.where)
            .order_by()
            .annotate(history_source=Value(position, output_field=IntegerField()))
            .values("history_id", "history_date", "history_source")
            for position, source in enumerate(self.sources)
        ]
        index = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return index.order_by("-history_date", "-history_id")

    def _entries(self, rows: list[dict]) -> list[Entry]:
        wanted = defaultdict(list)
        for row in rows:
            wanted[row["history_source"]].append(row["history_id"])
        found = {}
        for position, ids in wanted.items():
            found |= {(position, e.history_id): e for e in self._source_entries(self.sources[position], ids)}
        entries = [found[(row["history_source"], row["history_id"])] for row in rows]
        _attach_users(entries)
        _Wording(self.user).word(entries)
        return entries

    def _source_entries(self, source: Source, ids: list[int]) -> list[Entry]:
        history = source.model.history.model
        before = Q(history_date__lt=OuterRef("history_date")) | Q(
            history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
        )
        previous_id = (
            history.objects.filter(before, id=OuterRef("id"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        records = list(history.objects.filter(history_id__in=ids).annotate(previous_id=Subquery(previous_id)))
        previous = history.objects.in_bulk([r.previous_id for r in records if r.previous_id])
        entries = []
        for record in records:
            entry = _entry(source.model, record, previous.get(record.previous_id))
            entry.history_id = record.history_id
            entry.source = source
            entry.context = [Change(name, "", None, _value(source.model, record, name)) for name in source.context]
            entries.append(entry)
        return entries


class _Wording:
    """Values as a reader reads them: names instead of ids (hidden ones stay hidden), choice
    labels, yes/no, dates and amounts in the reader's language. One query per related model."""

    def __init__(self, user) -> None:
        self.user = user

    def word(self, entries: list[Entry]) -> None:
        names = self._names(entries)
        for entry in entries:
            for change in [*entry.changes, *getattr(entry, "context", [])]:
                model_field = entry.model._meta.get_field(change.field)
                change.old_text = self._text(model_field, change.old, names)
                change.new_text = self._text(model_field, change.new, names)
            source = getattr(entry, "source", None)
            if source is not None and source.named:
                parts = [str(entry.model._meta.verbose_name).capitalize()]
                entry.subject = " · ".join(parts + [c.new_text for c in entry.context if c.new_text != "–"])

    def _names(self, entries: list[Entry]) -> dict[type[models.Model], dict[int, str]]:
        ids = defaultdict(set)
        for entry in entries:
            for change in [*entry.changes, *getattr(entry, "context", [])]:
                model_field = entry.model._meta.get_field(change.field)
                if model_field.is_relation:
                    for value in (change.old, change.new):
                        ids[model_field.related_model] |= set(value if isinstance(value, list) else [value])
        return {model: self._visible_names(model, {pk for pk in pks if pk is not None}) for model, pks in ids.items()}

    def _visible_names(self, model: type[models.Model], ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = model._default_manager.all()
        if hasattr(rows, "visible_to"):
            rows = rows.visible_to(self.user)
        return {row.pk: str(row) for row in rows.filter(pk__in=ids)}

    def _text(self, model_field, value, names) -> str:
        if value is None or value == "" or value == []:
            return "–"
        if model_field.is_relation:
            known = names.get(model_field.related_model, {})
            values = value if isinstance(value, list) else [value]
            return ", ".join(known.get(pk, _("someone or something you cannot see")) for pk in values)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime):
            return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        if hasattr(model_field, "countries"):
            return str(dict(model_field.countries).get(value, value))
        return formats.localize(value, use_l10n=True) if isinstance(value, Decimal | int) else str(value)


def word(model_field, value, *, user) -> str:
    """One value of `model_field` as `user` reads it (names of what they may see, labels)."""
    wording = _Wording(user)
    names = {}
    if model_field.is_relation:
        ids = set(value if isinstance(value, list) else [value]) - {None}
        names = {model_field.related_model: wording._visible_names(model_field.related_model, ids)}
    return wording._text(model_field, value, names)
