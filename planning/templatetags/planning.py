from datetime import date

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from planning.models import Activity

register = template.Library()


@register.simple_tag
def is_overdue(activity: Activity, today: date | None = None) -> bool:
    return activity.is_overdue(today or timezone.localdate())


@register.simple_tag
def group_label(group_by: str, key: str | None) -> str:
    """The heading of one group of the orchestra view's summary."""
    if not key:
        return _("nobody") if group_by == "assignee" else "–"
    if group_by == "country":
        return countries.name(key) or key
    if group_by == "status":
        return str(Activity.Status(key).label)
    return key
