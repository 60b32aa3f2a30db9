from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """Whole currency units with the active language's grouping (1,234,567 / 1.234.567)."""
    if value is None:
        return "–"
    return floatformat(value, "0g")


@register.filter
def percent(ratio: Decimal | None) -> str:
    if ratio is None:
        return "–"
    return f"{floatformat(ratio * 100, 1)} %"


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    """The current query string minus `page`, for pagination links that keep the filters."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    return params.urlencode()


@register.filter
def person(user) -> str:
    """A colleague as people call them: full name, else username; a dash for nobody."""
    if user is None:
        return "–"
    return user.get_full_name() or user.username
