"""A record's version: what an API ETag and an edit form's hidden `version` carry, so that a write
based on an old read is refused instead of overwriting a colleague's change (no lost update)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import models, transaction
from django.db.models import QuerySet

from kam.lib import history_read


def version_of(obj: models.Model) -> str | None:
    """A token that changes with every save of `obj`: its `updated_at` in microseconds since
    1970; None for a model without one."""
    updated_at = getattr(obj, "updated_at", None)
    if updated_at is None:
        return None
    return str(int(updated_at.timestamp() * 1_000_000))


# --- edit forms: "changed by X at HH:MM meanwhile" -------------------------------------------


@dataclass
class Conflict:
    """What a colleague changed since the form was opened, where the form says otherwise."""

    user: object  # who changed it last (None: a job)
    at: datetime
    fields: list[tuple[str, str, str]]  # label, their value (now saved), your value (in the form)
    version: str  # the version now saved: the re-shown form carries it, so a second save wins


def save_unless_changed(
    obj: models.Model, *, opened: str | None, posted: dict, save: Callable, user
) -> Conflict | None:
    """Call `save()` unless someone saved `obj` since the form showed version `opened` and
    the form's `posted` values (cleaned data) would undo their change; then return the
    conflict and write nothing. Compare and save share one transaction and the row's lock."""
    with transaction.atomic():
        current = type(obj)._base_manager.select_for_update(no_key=True).get(pk=obj.pk)
        now = version_of(current)
        if opened and now and opened != now:
            conflict = _conflict(current, opened, posted, user=user)
            if conflict is not None:
                return conflict
        save()
    return None


def _conflict(current: models.Model, opened: str, posted: dict, *, user) -> Conflict | None:
    entries = [entry for entry in history_read.object_history(current) if entry.action != "deleted"]
    opened_at = _time_of(opened)
    # The first record after the opened version's time stamp is the save that made that version.
    since = [entry for entry in entries if opened_at is None or entry.at > opened_at][:-1]
    if not since:
        return None
    changed = {change.field for entry in since if entry.action == "changed" for change in entry.changes}
    fields = []
    for name in sorted(changed & set(posted)):
        model_field = current._meta.get_field(name)
        theirs = _raw(model_field.value_from_object(current))
        yours = _raw(posted[name])
        if theirs != yours:
            fields.append(
                (
                    str(model_field.verbose_name).capitalize(),
                    history_read.word(model_field, theirs, user=user),
                    history_read.word(model_field, yours, user=user),
                )
            )
    if not fields:
        return None
    last = since[0]
    return Conflict(user=last.user, at=last.at, fields=fields, version=version_of(current))


def _raw(value):
    """A form's or a row's value as the history compares it: ids for records, sorted id lists."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | QuerySet):
        return sorted(item.pk if isinstance(item, models.Model) else item for item in value)
    return getattr(value, "code", value)  # a country as its code


def _time_of(version: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(version) / 1_000_000, tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None
