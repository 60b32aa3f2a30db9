"""A record's version: what an API ETag and an edit form's hidden `version` carry, so that a write
based on an old read is refused instead of overwriting a colleague's change (no lost update)."""

import hashlib

from django.db import models


def version_of(obj: models.Model) -> str | None:
    """An opaque token that changes with every save of `obj` (from `updated_at`); None for a
    model without one."""
    updated_at = getattr(obj, "updated_at", None)
    if updated_at is None:
        return None
    raw = f"{obj._meta.label_lower}:{obj.pk}:{updated_at.isoformat()}"
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:20]


def locked_version(obj: models.Model) -> str | None:
    """The version of `obj` as committed now, its row locked until the caller's transaction
    ends: compare, then write, and nobody writes in between."""
    current = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()
    return version_of(current) if current is not None else None
