"""The record of who changed what: django-simple-history, set up once for every business model.

A model gets history with one line, `history = recorded()` (plus `makemigrations`): every save
and delete writes a row into its historical table (`Historical<Model>`) with the user, the time
and the values after the change. Who: the actor a service names (`acting(actor)`, or
`@records_actor` on a service that takes `actor=`), else the web request's user (the
middleware; an API token's user too, as DRF puts it on the request). A job that runs outside a
request and names nobody is recorded without a user.

Many-to-many fields are recorded as a snapshot of ids on the row itself (`recorded(m2m=...)`),
one row per save; a service that changes them after the save wraps the whole in
`single_record(instance)`, so that one change is one entry.

What changed is read back by kam.lib.history_read (the API's and the pages' entries).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

# simple-history's own marks in `history_type`, and the reason a restore writes next to "+".
CREATED, CHANGED, DELETED = "+", "~", "-"
RESTORED_REASON = "restored"
TRASHED_REASON = "trashed"

_actor: ContextVar = ContextVar("kam_history_actor", default=None)
_paused: ContextVar = ContextVar("kam_history_paused", default=False)
# The recorder of each model, to write one record by hand (single_record, trash restore).
_recorders: dict[type[models.Model], KamHistoricalRecords] = {}


class HistoryM2MSnapshot(models.Model):
    """What a historical row adds when its model records many-to-many fields: their ids."""

    history_m2m = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


def _user_of(instance=None, request=None, **kwargs):
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class KamHistoricalRecords(HistoricalRecords):
    def __init__(self, *, m2m: tuple[str, ...] = (), **kwargs) -> None:
        self.m2m_snapshot = tuple(m2m)
        if m2m:
            kwargs["bases"] = (HistoryM2MSnapshot,)
        super().__init__(**kwargs)

    def finalize(self, sender, **kwargs) -> None:
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            _recorders[sender] = self

    def post_save(self, instance, created, using=None, **kwargs) -> None:
        if getattr(instance, "_kam_history_held", False) or _paused.get():
            return
        super().post_save(instance, created, using=using, **kwargs)

    def post_delete(self, instance, using=None, **kwargs) -> None:
        if not _paused.get():
            super().post_delete(instance, using=using, **kwargs)


def recorded(*, m2m: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> KamHistoricalRecords:
    """History for a business model: `history = recorded()`. The time stamps are left out
    (the record has its own time); `m2m` names many-to-many fields kept as id snapshots."""
    return KamHistoricalRecords(
        m2m=m2m,
        excluded_fields=["created_at", "updated_at", *exclude],
        user_model=settings.AUTH_USER_MODEL,
        get_user=_user_of,
        # A colleague who leaves stays named in the history of what they changed.
        user_db_constraint=False,
        user_related_name="+",
    )


def is_recorded(model: type[models.Model]) -> bool:
    return model in _recorders


def recorded_models() -> list[type[models.Model]]:
    return list(_recorders)


def snapshot_fields(model: type[models.Model]) -> tuple[str, ...]:
    recorder = _recorders.get(model)
    return recorder.m2m_snapshot if recorder else ()


@contextmanager
def acting(actor) -> Iterator[None]:
    """Name `actor` as the author of every record written inside the block."""
    token = _actor.set(actor if actor is not None and getattr(actor, "is_authenticated", False) else None)
    try:
        yield
    finally:
        _actor.reset(token)


def records_actor(service: Callable) -> Callable:
    """For a service with a keyword `actor=`: what it writes is recorded in the actor's name,
    also when it runs outside a request (a job, a command, a test)."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        with acting(kwargs.get("actor")):
            return service(*args, **kwargs)

    return wrapper


@contextmanager
def unrecorded() -> Iterator[None]:
    """Writes inside the block leave no history: made-up data (the demo) is nobody's change."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


@contextmanager
def single_record(instance: models.Model, *, reason: str = "") -> Iterator[None]:
    """Saves and many-to-many changes inside the block become one record, written at its end
    (created when the instance had no primary key before)."""
    created = instance.pk is None
    instance._kam_history_held = True
    try:
        yield
    finally:
        instance._kam_history_held = False
    write_record(instance, CREATED if created else CHANGED, reason=reason)


def write_record(instance: models.Model, history_type: str, *, reason: str = "") -> None:
    recorder = _recorders.get(type(instance))
    if recorder is None or _paused.get():
        return
    if reason:
        instance._change_reason = reason
    try:
        recorder.create_historical_record(instance, history_type)
    finally:
        if reason:
            del instance._change_reason


def _snapshot_m2m(sender, instance, history_instance, **kwargs) -> None:
    fields = snapshot_fields(type(instance))
    if fields:
        history_instance.history_m2m = {
            name: sorted(getattr(instance, name).values_list("pk", flat=True)) for name in fields
        }


pre_create_historical_record.connect(_snapshot_m2m, dispatch_uid="kam_history_m2m_snapshot")
