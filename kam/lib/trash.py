"""Trash instead of loss: a record deleted with everything that hangs on it, kept for
`KAM_TRASH_DAYS` and brought back whole, with the same ids.

`trash(obj, actor=, account_id=, after_restore=)` asks Django's deletion Collector what a delete
of `obj` takes along (cascaded rows, many-to-many links, fields set to null), writes all of it
into one `kam.TrashEntry`, and then really deletes. So every query elsewhere (figures, coverage,
snapshots, search, exports) sees the rows as gone without knowing about the trash.

`restore(entry, actor=)` puts the rows back in one transaction, parents first, and sets the
nulled fields again where nobody has set them meanwhile; it refuses with a message (and changes
nothing) when something now conflicts: a revenue cell entered again meanwhile, or a record it
belonged to that is gone. Then it calls the entry's `after_restore` (a dotted path named by the
app that trashed the record, e.g. to mark a group's snapshot stale) in the same transaction.

Who: what `entries_for(user)` lists — on accounts the user may see, what they deleted or what
belongs to an account they may change (admins: all) — they may restore; admins purge.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import Q, QuerySet
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kam.lib.history import CHANGED, CREATED, RESTORED_REASON, acting, is_recorded, write_record
from kam.models import TrashEntry, User
from kam.visibility import editable_account_ids, visible_account_ids


def trash(
    obj: models.Model, *, actor: User | None, account_id: int | None, after_restore: str = "", title: str = ""
) -> TrashEntry:
    """Delete `obj` and everything the delete takes along into the trash (one transaction);
    `title` names it on the Trash page (default: str(obj))."""
    with transaction.atomic(), acting(actor):
        collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
        collector.collect([obj])
        rows, counts = _rows(collector)
        now = timezone.now()
        entry = TrashEntry.objects.create(
            model=obj._meta.label_lower,
            object_id=obj.pk,
            title=(title or str(obj))[:300],
            account_id=account_id,
            deleted_by=actor if actor is not None and actor.is_authenticated else None,
            deleted_at=now,
            expires_at=now + timedelta(days=settings.KAM_TRASH_DAYS),
            rows=rows,
            nulled=_nulled(collector),
            counts=counts,
            after_restore=after_restore,
        )
        collector.delete()
        _record_nulled(entry)
    return entry


def _record_nulled(entry: TrashEntry) -> None:
    """The rows whose field the delete emptied (a direct report's manager) were changed too."""
    for nulled in entry.nulled:
        model = apps.get_model(nulled["model"])
        if is_recorded(model):
            for row in model._base_manager.filter(pk__in=nulled["pks"]):
                write_record(row, CHANGED)


def _rows(collector: Collector) -> tuple[list[dict], dict[str, int]]:
    """Every row the delete takes, parents first (the reverse of the order it deletes them)."""
    collector.sort()
    groups = [(model, list(instances)) for model, instances in collector.data.items()][::-1]
    groups += [(qs.model, list(qs)) for qs in collector.fast_deletes]
    rows, counts = [], {}
    for model, instances in groups:
        if not instances:
            continue
        fields = [f.name for f in model._meta.local_fields if not f.primary_key]
        rows += json.loads(serializers.serialize("json", instances, fields=fields))
        label = model._meta.label_lower
        counts[label] = counts.get(label, 0) + len(instances)
    return rows, counts


def _nulled(collector: Collector) -> list[dict]:
    """Fields the delete will set to null (e.g. the direct reports' manager), with their value."""
    nulled = []
    for (model_field, value), batches in collector.field_updates.items():
        for batch in batches:
            if isinstance(batch, QuerySet):
                pairs = list(batch.values_list("pk", model_field.attname))
            else:
                pairs = [(row.pk, getattr(row, model_field.attname)) for row in batch]
            by_value: dict = {}
            for pk, old in pairs:
                by_value.setdefault(old, []).append(pk)
            nulled += [
                {"model": model_field.model._meta.label_lower, "field": model_field.attname, "value": old, "pks": pks}
                for old, pks in by_value.items()
                if old is not None and old != value
            ]
    return nulled


# --- who finds what in the trash ------------------------------------------------------------


def entries_for(user: User) -> QuerySet[TrashEntry]:
    """The entries `user` may see and restore: on accounts they may see, those they deleted or
    that belong to an account they may change; admins all of them."""
    if not user.is_authenticated or not user.is_active:
        return TrashEntry.objects.none()
    rows = TrashEntry.objects.select_related("deleted_by")
    readable = visible_account_ids(user)
    if readable is not None:
        rows = rows.filter(account_id__in=readable)
    changeable = editable_account_ids(user)
    if changeable is None:
        return rows
    return rows.filter(Q(deleted_by=user) | Q(account_id__in=changeable))


def entry_of(user: User, model: type[models.Model], object_id) -> TrashEntry | None:
    return entries_for(user).filter(model=model._meta.label_lower, object_id=object_id).first()


def may_purge(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.writes_everything


# --- restore and purge ----------------------------------------------------------------------


def restore(entry: TrashEntry, *, actor: User) -> models.Model:
    """Bring the record back whole, with the same ids; returns it. Refuses (ValidationError,
    nothing written) when something now conflicts."""
    if not entries_for(actor).filter(pk=entry.pk).exists():
        raise PermissionDenied(_("You may not restore this."))
    with transaction.atomic(), acting(actor):
        locked = TrashEntry.objects.select_for_update().filter(pk=entry.pk).first()
        if locked is None:
            raise ValidationError(_("This was restored or purged meanwhile."))
        objects = _deserialize(locked)
        _check_conflicts(locked, objects)
        try:
            with transaction.atomic():
                for obj in objects:
                    obj.save_base(raw=True, force_insert=True)
                _refill_nulled(locked)
        except IntegrityError:
            raise ValidationError(
                _("%(record)s cannot be restored: something it belongs to has changed meanwhile.")
                % {"record": locked.title}
            ) from None
        for obj in objects:
            if is_recorded(type(obj)):
                write_record(obj, CREATED, reason=RESTORED_REASON)
        if locked.after_restore:
            import_string(locked.after_restore)(entry=locked, objects=objects)
        locked.delete()
    return next(obj for obj in objects if obj._meta.label_lower == entry.model and obj.pk == entry.object_id)


def purge(entry: TrashEntry, *, actor: User) -> None:
    if not may_purge(actor):
        raise PermissionDenied(_("Only an administrator empties the trash."))
    entry.delete()


def purge_expired(now=None) -> int:
    """Empty what has been in the trash for longer than KAM_TRASH_DAYS (the purge job)."""
    deleted, _by_model = TrashEntry.objects.expired(now or timezone.now()).delete()
    return deleted


def _deserialize(entry: TrashEntry) -> list[models.Model]:
    return [row.object for row in serializers.deserialize("python", entry.rows)]


def _check_conflicts(entry: TrashEntry, objects: list[models.Model]) -> None:
    """Links to what is gone are dropped (a contact deleted meanwhile loses this person);
    an empty field stays empty; a record that needs what is gone, or that would repeat one
    entered meanwhile, refuses the restore."""
    restored = {(type(obj), obj.pk) for obj in objects}
    missing = _missing_targets(objects, restored)
    for obj in list(objects):
        for model_field in _foreign_keys(obj):
            target = (model_field.related_model, getattr(obj, model_field.attname))
            if target not in missing:
                continue
            if obj._meta.auto_created:
                objects.remove(obj)
                break
            if model_field.null:
                setattr(obj, model_field.attname, None)
                continue
            raise ValidationError(
                _("%(record)s cannot be restored: %(what)s it belonged to no longer exists.")
                % {"record": entry.title, "what": model_field.related_model._meta.verbose_name}
            )
    root = next((obj for obj in objects if obj.pk == entry.object_id), None)
    if root is not None:
        root.validate_unique()
        root.validate_constraints()


def _missing_targets(objects: list[models.Model], restored: set) -> set:
    wanted: dict[type[models.Model], set] = {}
    for obj in objects:
        for model_field in _foreign_keys(obj):
            value = getattr(obj, model_field.attname)
            if value is not None and (model_field.related_model, value) not in restored:
                wanted.setdefault(model_field.related_model, set()).add(value)
    missing = set()
    for model, ids in wanted.items():
        present = set(model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        missing |= {(model, pk) for pk in ids - present}
    return missing


def _foreign_keys(obj: models.Model) -> list[models.Field]:
    return [f for f in obj._meta.concrete_fields if f.many_to_one or f.one_to_one]


def _refill_nulled(entry: TrashEntry) -> None:
    for nulled in entry.nulled:
        model = apps.get_model(nulled["model"])
        rows = model._base_manager.filter(pk__in=nulled["pks"], **{nulled["field"]: None})
        changed = list(rows.values_list("pk", flat=True))
        rows.update(**{nulled["field"]: nulled["value"]})
        if is_recorded(model) and changed:
            for row in model._base_manager.filter(pk__in=changed):
                write_record(row, CHANGED)
