"""The priority of an activity and the capacity line of a plan board.

score = impact × urgency ÷ effort size

Impact and urgency run from 1 to 5, so their product (the value of doing it now) runs from 1
to 25. Effort counts as a size from 1 to 5 rather than in raw hours, so that a quick task
ranks above a big one of the same value without every one-hour chore beating real work:

    up to 4 h → 1 · up to 16 h → 2 · up to 40 h → 3 · up to 80 h → 4 · more → 5

The plan board lists activities by score, highest first, and adds up their effort: the
capacity line falls before the first activity whose running total exceeds the hours the team
has in the period. What lies below the line does not fit — the KAM moves it consciously.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

# (upper bound in hours, size); anything above the last bound is size 5.
EFFORT_SIZES = ((Decimal(4), 1), (Decimal(16), 2), (Decimal(40), 3), (Decimal(80), 4))
LARGEST_SIZE = 5
PLACES = Decimal("0.01")


def effort_size(effort_hours: Decimal | int | float) -> int:
    hours = Decimal(str(effort_hours))
    for bound, size in EFFORT_SIZES:
        if hours <= bound:
            return size
    return LARGEST_SIZE


def score(impact: int, urgency: int, effort_hours: Decimal | int | float) -> Decimal:
    value = Decimal(int(impact) * int(urgency))
    return (value / effort_size(effort_hours)).quantize(PLACES, ROUND_HALF_UP)


def explain(impact: int, urgency: int, effort_hours: Decimal | int | float) -> str:
    """One line that shows the arithmetic, e.g. "impact 5 × urgency 4 = 20, ÷ effort size 2
    (16 h) = 10.00"."""
    return _(
        "impact %(impact)s × urgency %(urgency)s = %(value)s, ÷ effort size %(size)s (%(hours)s h) = %(score)s"
    ) % {
        "impact": impact,
        "urgency": urgency,
        "value": int(impact) * int(urgency),
        "size": effort_size(effort_hours),
        "hours": _hours(effort_hours),
        "score": score(impact, urgency, effort_hours),
    }


def capacity_cut(efforts: Sequence[Decimal], capacity_hours: Decimal) -> int:
    """The index of the first activity (in priority order) that no longer fits: the running
    total of effort up to and including it exceeds `capacity_hours`. len(efforts) when all fit."""
    total = Decimal(0)
    for index, effort in enumerate(efforts):
        total += effort
        if total > capacity_hours:
            return index
    return len(efforts)


def _hours(effort_hours: Decimal | int | float) -> str:
    hours = Decimal(str(effort_hours))
    return f"{hours.normalize():f}" if hours == hours.to_integral_value() else f"{hours}"
