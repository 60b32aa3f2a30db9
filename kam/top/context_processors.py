from functools import partial

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from stakeholders.alerts.selectors import open_alert_count


def kam(request) -> dict:
    return {"KAM_CURRENCY": settings.KAM_CURRENCY, "open_alert_count": SimpleLazyObject(partial(_open_alerts, request))}


def _open_alerts(request) -> int:
    # Lazy: counted (one query) only where a template shows it, i.e. in the header of full pages.
    user = getattr(request, "user", None)
    return open_alert_count(user) if user is not None else 0
