"""What every API module shares: how a service's refusal becomes a 400, small filters, and the
record's part of every viewset (kam.lib.api_records: ETag/If-Match, history, restore)."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Services refuse with Django's ValidationError; the API answers those with a 400."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            # Model validation files errors that span fields under "__all__"; DRF calls that key
            # "non_field_errors", and API clients should see one name for it.
            detail = {
                (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = ValidationError(detail)
    return drf_exception_handler(exc, context)


class CountryCodeFilter(filters.CharFilter):
    """An ISO alpha-2 code, in either case ("de" finds "DE")."""

    def filter(self, qs, value):
        return super().filter(qs, value.upper() if value else value)
