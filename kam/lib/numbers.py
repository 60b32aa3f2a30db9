"""How KAM rounds: one rule for every figure, so a number is the same on every page, in the API
and in every export."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")


def ratio(part, whole) -> Decimal | None:
    """`part` / `whole` as a share 0–1 to four places, half up (0.12345 → 0.1235); None when
    `whole` is 0. Share of wallet, relationship health, coverage and progress all come from here.
    The snapshot job stores the same rule in SQL (ROUND on PostgreSQL's numeric rounds half away
    from zero, which is half up for the non-negative amounts it sees); what pages, API and
    exports show is computed here from the amounts."""
    if not whole:
        return None
    return round_ratio(Decimal(part) / Decimal(whole))


def round_ratio(value: Decimal) -> Decimal:
    return Decimal(value).quantize(RATIO_PLACES, ROUND_HALF_UP)


def round_cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)
