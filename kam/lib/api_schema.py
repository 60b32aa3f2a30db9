"""The OpenAPI schema's part of the record: If-Match and the 412 on every conditional write
(kam.lib.api_records). Its own module: DRF imports the schema class while it loads its settings."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

WRITES = ("update", "partial_update", "destroy")


class RecordAutoSchema(AutoSchema):
    """Documents If-Match and the 412 on the writes of every viewset with RecordViewSetMixin."""

    def _is_conditional_write(self) -> bool:
        return getattr(self.view, "conditional_writes", False) and getattr(self.view, "action", None) in WRITES

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_conditional_write():
            parameters = [
                *parameters,
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="The ETag of the version you read: a changed record answers 412 and is not written.",
                ),
            ]
        return parameters

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if self._is_conditional_write() and "412" not in bodies:
            bodies["412"] = {"description": "The record changed since the version named in If-Match."}
        return bodies
