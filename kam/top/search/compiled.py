"""Search asks the same few shapes of query again and again with other words, and Django's ORM
takes longer to build one than PostgreSQL takes to answer it. So on PostgreSQL each shape's SQL
is built once per process, with marks in place of the words and the user's accounts, and each
search fills in its own values. (On SQLite the ORM builds every query: small data.)

A shape is the caller's key, the number of words and spellings of each, whether the user's
accounts restrict it, and the user when their kind has a visibility rule of its own."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import QuerySet

from kam.top.search.normalize import Terms, Word

MARK = "\x1f"  # never part of a query: parse() keeps letters and digits only
SCOPE_MARK = -7_000_000_001  # an account id that cannot exist
MAX_SHAPES = 2000
_SHAPES: dict[tuple, tuple[str, tuple, list[str]]] = {}


def _marked(terms: Terms) -> Terms:
    words = tuple(
        Word(tuple(f"{MARK}{i}.{j}{MARK}" for j in range(len(word.variants)))) for i, word in enumerate(terms.words)
    )
    return Terms(text=f"{MARK}t{MARK}", folded=f"{MARK}f{MARK}", words=words)


def _array(ids: list[int]) -> str:
    """How kam.visibility writes a list of account ids into the SQL: one array literal."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def _filled(params: tuple, terms: Terms, scope: list[int] | None) -> list:
    values = {f"{MARK}f{MARK}": terms.folded, f"{MARK}t{MARK}": terms.text}
    for i, word in enumerate(terms.words):
        for j, variant in enumerate(word.variants):
            values[f"{MARK}{i}.{j}{MARK}"] = variant
    marked_scope = _array([SCOPE_MARK])
    filled = []
    for param in params:
        if isinstance(param, str) and param == marked_scope:
            param = _array(scope)
        elif isinstance(param, str) and MARK in param:
            for mark, value in values.items():
                param = param.replace(mark, value)
        filled.append(param)
    return filled


def rows(key: tuple, build: Callable[[Terms, list[int] | None], QuerySet], terms: Terms, scope: list[int] | None):
    """The rows (dicts) of the values() queryset `build(terms, scope)`."""
    if connection.vendor != "postgresql":
        return list(build(terms, scope))
    shape = (key, tuple(len(word.variants) for word in terms.words), scope is None)
    if shape not in _SHAPES:
        if len(_SHAPES) >= MAX_SHAPES:
            _SHAPES.clear()
        queryset = build(_marked(terms), None if scope is None else [SCOPE_MARK])
        sql, params = queryset.query.sql_with_params()
        query = queryset.query
        _SHAPES[shape] = (sql, tuple(params), [*query.extra_select, *query.values_select, *query.annotation_select])
    sql, params, names = _SHAPES[shape]
    with connection.cursor() as cursor:
        cursor.execute(sql, _filled(params, terms, scope))
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def planned_for(scope: list[int] | None) -> Iterator[None]:
    """Searches of a user restricted to some accounts (a KAM, a regional colleague) never scan a
    whole table: PostgreSQL otherwise bets, when the candidates are few (a LIMIT), that reading
    the table in order finds them soon, and loses that bet whenever the words are common but
    rare among the user's accounts. Index scans (the words' and the accounts') always win here.
    For the rest of the request nothing changes (SET LOCAL, in a transaction of its own)."""
    if scope is None or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield
