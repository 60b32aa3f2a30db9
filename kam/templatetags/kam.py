from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django import template
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import get_format
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """Whole currency units with the active language's grouping (1,234,567 / 1.234.567)."""
    if value is None:
        return "–"
    return _localised(f"{_rounded(value, WHOLE):,}")


@register.filter
def percent(ratio: Decimal | None) -> str:
    if ratio is None:
        return "–"
    return f"{_localised(str(_rounded(ratio * 100, TENTH)))} %"


# Dashboards format thousands of figures a page: Django's floatformat looks the language's
# separators up each time, these look them up once per language.
WHOLE, TENTH = Decimal(1), Decimal("0.1")


def _rounded(value, places: Decimal) -> Decimal:
    return Decimal(value).quantize(places, ROUND_HALF_UP)


def _localised(number: str) -> str:
    """A number written with "," for thousands and "." for decimals, in the active language."""
    thousands, decimal = _separators(get_language())
    return number.translate({ord(","): thousands, ord("."): decimal})


@cache
def _separators(language: str | None) -> tuple[str, str]:
    with translation.override(language):
        return get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")


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
    return user.display_name


@register.simple_tag(takes_context=True)
def sort_query(context, key: str, current: str, descending_first: bool = True) -> str:
    """The current query string sorted by `key`: the other direction when it already is, else
    biggest first for figures (`descending_first`) and A–Z for names. Back to the first page."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    if current == key:
        params["sort"] = f"-{key}"
    elif current == f"-{key}":
        params["sort"] = key
    else:
        params["sort"] = f"-{key}" if descending_first else key
    return params.urlencode()


@register.simple_tag
def sort_state(key: str, current: str) -> str:
    """The value of a column header's aria-sort."""
    return "ascending" if current == key else "descending" if current == f"-{key}" else "none"


@register.filter
def points(change: Decimal | None) -> str:
    """A change of a share as percentage points: 0.012 → "+1.2 pp"."""
    if change is None:
        return "–"
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return f"{sign}{floatformat(abs(change) * 100, 1)} pp"


@register.filter
def ago(moment) -> str:
    """How long ago, in its biggest unit only ("3 weeks ago"): for tight table cells."""
    return _("%(ago)s ago") % {"ago": timesince(moment, depth=1)} if moment else ""
