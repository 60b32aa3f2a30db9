"""The record's part of every API viewset.

- `RecordViewSetMixin` (every viewset): each object answer carries an `ETag`; a `PUT`, `PATCH` or
  `DELETE` with `If-Match` is compared with the row's version under a row lock inside the write's
  transaction, and a stale one answers 412 with nothing written. Without `If-Match` writes work
  as before.
- `HistoryMixin`: `GET /api/<resource>/{id}/history/` — who changed what, newest first, for
  exactly those who may read the record (the viewset's own `get_object`).
- `RestoreMixin`: `POST /api/<resource>/{id}/restore/` — bring a deleted record back from the
  trash (kam.lib.trash), for those the trash shows it to; 404 for everyone else.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from kam.lib import trash
from kam.lib.api_schema import WRITES
from kam.lib.history import is_recorded
from kam.lib.history_read import Entry, object_history
from kam.lib.versions import version_of


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it."
    default_code = "precondition_failed"


def etag_of(obj: models.Model, representation=None) -> str | None:
    """`"<version>"` from the row's version; for a model without one, from what was answered."""
    version = version_of(obj)
    if version is None and isinstance(representation, dict):
        encoded = json.dumps(representation, sort_keys=True, cls=DjangoJSONEncoder).encode()
        version = hashlib.sha1(encoded, usedforsecurity=False).hexdigest()[:20]
    return f'"{version}"' if version else None


def _matches(header: str, etag: str | None) -> bool:
    if header.strip() == "*":
        return etag is not None
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in tags


class RecordViewSetMixin:
    """ETag on every object answer; If-Match on every write (412 when stale)."""

    conditional_writes = True  # kam.lib.api_schema documents If-Match and the 412

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("PUT", "PATCH", "DELETE") or "HTTP_IF_MATCH" not in request.META:
            return super().dispatch(request, *args, **kwargs)
        # The compare (in `initial`) and the write share one transaction and the row's lock.
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
            return response

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if self.action in WRITES and request.headers.get("If-Match"):
            self._check_if_match(request.headers["If-Match"])

    def _check_if_match(self, header: str) -> None:
        obj = self.get_object()  # 404 when hidden, 403 when only readable: before any 412
        current = type(obj)._base_manager.select_for_update(no_key=True).get(pk=obj.pk)
        representation = None if version_of(current) else self.get_serializer(obj).data
        if not _matches(header, etag_of(current, representation)):
            raise PreconditionFailed(_stale_message(current))

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        self._answered = serializer
        return serializer

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        instance = getattr(getattr(self, "_answered", None), "instance", None)
        data = getattr(response, "data", None)
        if (
            isinstance(instance, models.Model)
            and isinstance(data, dict)
            and data.get("id") == instance.pk
            and response.status_code < 300
        ):
            etag = etag_of(instance, data)
            if etag:
                response["ETag"] = etag
        return response


def _stale_message(current: models.Model) -> str:
    entries = object_history(current) if is_recorded(type(current)) else []
    last = next((entry for entry in entries if entry.user is not None), None)
    if last is None:
        return _("This record was changed since you read it: read it again and apply your change to the new version.")
    return _(
        "%(user)s changed this record at %(time)s, after you read it: read it again and apply your change "
        "to the new version."
    ) % {
        "user": last.user.display_name,
        "time": formats.date_format(timezone.localtime(last.at), "SHORT_DATETIME_FORMAT"),
    }


# --- history ----------------------------------------------------------------------------------


class HistoryUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True, help_text="As the API writes the field: ids for links.")
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user = HistoryUserSerializer(allow_null=True, help_text="Null for a job that acted on nobody's behalf.")
    action = serializers.ChoiceField(choices=["created", "changed", "deleted", "restored"])
    changes = HistoryChangeSerializer(many=True)


class HistoryMixin:
    """`GET …/{id}/history/`: the record's entries, newest first."""

    def history_entries(self, obj: models.Model) -> list[Entry]:
        return object_history(obj)

    @extend_schema(
        summary="Who changed what and when, newest first",
        responses={200: HistoryEntrySerializer(many=True), 404: OpenApiResponse(description="Hidden or missing.")},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request: Request, pk: str | None = None) -> Response:
        entries = [entry.as_api() for entry in self.history_entries(self.get_object())]
        return Response(HistoryEntrySerializer(entries, many=True).data)


# --- restore ----------------------------------------------------------------------------------


class RestoreMixin:
    """`POST …/{id}/restore/`: back from the trash, whole and with the same ids."""

    @extend_schema(
        summary="Bring the deleted record back from the trash, with everything deleted with it",
        request=None,
        responses={
            200: OpenApiResponse(description="The restored record, as a GET answers it."),
            400: OpenApiResponse(description="Something now conflicts (the message says what)."),
            404: OpenApiResponse(description="Not in the trash, or not yours to restore."),
        },
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        model = self.get_queryset().model
        entry = trash.entry_of(request.user, model, pk) if str(pk).isdigit() else None
        if entry is None:
            raise Http404
        restored = trash.restore(entry, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=restored.pk)).data)
