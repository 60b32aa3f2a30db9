"""Fast inserts for the generator: COPY on PostgreSQL, executemany on SQLite.

Rows are plain tuples of Python values (str, int, bool, Decimal, date, aware datetime, None),
streamed from generators in chunks, never model instances. Primary keys that other rows point
to are reserved up front (`reserve_ids`), so that link rows can be written without reading ids
back; tables whose ids nobody needs get them from the database.

On PostgreSQL the chunks are sent by a helper thread while the caller prepares the next ones,
so that the server's work and the generator's overlap on two cores. The helper runs one COPY
after the other, in order; nothing else uses the connection meanwhile: `flush()` waits until
all are written (and raises what went wrong).
"""

import io
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from itertools import islice

from django.db import connection

CHUNK = 20_000
IN_FLIGHT = 6  # chunks formatted and waiting to be sent, at most


def chunked(rows: Iterable[tuple], size: int = CHUNK) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Loader:
    """Writes rows into tables of the default database, inside the caller's transaction."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.written: dict[str, int] = {}
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="copy") if self.postgres else None
        self._in_flight: deque[Future] = deque()

    def flush(self) -> None:
        """Wait until every chunk in flight is written; raises what went wrong with one."""
        while self._in_flight:
            self._in_flight.popleft().result()

    def close(self) -> None:
        """Wait for the chunks in flight whatever happened (no COPY may outlive the transaction),
        and stop the helper thread. Errors are left to `flush()`."""
        while self._in_flight:
            self._in_flight.popleft().exception()
        if self._sender is not None:
            self._sender.shutdown()

    def insert(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        """Append `rows` (tuples in the order of `columns`) to `table`; returns their number."""
        count = 0
        for chunk in chunked(rows):
            if self.postgres:
                self._copy(table, columns, chunk)
            else:
                self._executemany(table, columns, chunk)
            count += len(chunk)
        self.written[table] = self.written.get(table, 0) + count
        return count

    def reserve_ids(self, table: str, count: int) -> int:
        """The first of `count` consecutive unused ids of `table`, taken from its sequence so
        that rows inserted later by the app do not collide with them."""
        self.flush()
        with connection.cursor() as cursor:
            if self.postgres:
                # One statement: advance the sequence past the block, also past ids written by hand.
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"GREATEST(nextval(pg_get_serial_sequence('{table}', 'id')), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table})) + %s - 1)",
                    [count],
                )
                return cursor.fetchone()[0] - count + 1
            # AUTOINCREMENT never hands out an id again, even of a deleted row: start past both.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
            return max(highest, cursor.fetchone()[0]) + 1

    def stamp(self, value: datetime) -> str:
        """An aware datetime as the database takes it, for values written many times over."""
        if self.postgres:
            return value.isoformat(" ")
        return connection.ops.adapt_datetimefield_value(value)

    def _copy(self, table: str, columns: tuple[str, ...], chunk: list[tuple]) -> None:
        buffer = io.StringIO(copy_text(chunk, len(columns)))
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        while len(self._in_flight) >= IN_FLIGHT:
            self._in_flight.popleft().result()
        connection.ensure_connection()
        raw = connection.connection  # psycopg2's connection: safe to share between threads
        self._in_flight.append(self._sender.submit(_send, raw, sql, buffer))

    def _executemany(self, table: str, columns: tuple[str, ...], chunk: list[tuple]) -> None:
        adapt = _sqlite_value
        placeholders = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
                [tuple(adapt(v) for v in row) for row in chunk],
            )


def _send(raw, sql: str, buffer: io.StringIO) -> None:
    with raw.cursor() as cursor:
        cursor.copy_expert(sql, buffer)


def copy_text(chunk: list[tuple], width: int) -> str:
    """Rows in COPY's text format: values separated by tabs, NULL as \\N, backslashes and line
    breaks escaped. str() gives what PostgreSQL reads for every value type here (Decimal, date,
    datetime with its UTC offset, True/False). The quick way joins str() of every value (None
    stands in as NUL, which no text sent to PostgreSQL can hold) and is kept when the result
    shows that no value held a tab, line break or backslash: the separators are exactly as many
    as expected. Otherwise value by value."""
    if any(None in row for row in chunk):
        lines = ["\t".join(["\0" if v is None else str(v) for v in row]) for row in chunk]
    else:
        lines = ["\t".join(map(str, row)) for row in chunk]
    text = "\n".join(lines)
    if (
        text.count("\t") == len(chunk) * (width - 1)
        and text.count("\n") == len(chunk) - 1
        and "\\" not in text
        and "\r" not in text
    ):
        return text.replace("\0", "\\N") + "\n"
    return "".join(["\t".join([_escaped(v) for v in row]) + "\n" for row in chunk])


def _escaped(value) -> str:
    if value is None:
        return "\\N"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _sqlite_value(value):
    # Stored the way Django's ORM stores them on SQLite (UTC, no offset), so that SQL comparing
    # and subtracting dates sees one format.
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def drop_foreign_keys(tables: Iterable[str]) -> list[tuple[str, str, str]]:
    """On PostgreSQL, drop the foreign keys of `tables` in the caller's transaction and return
    them for `restore_foreign_keys`, which adds them back (validated) before the commit.

    Django's foreign keys are checked row by row at commit: for millions of rows that takes
    minutes, while adding a constraint back checks all rows in one join (the bulk-loading advice
    of the PostgreSQL manual, "Populating a Database"). The tables stay locked until the commit;
    a failure rolls the constraints back with everything else. SQLite checks deferred foreign
    keys cheaply: nothing to do there.
    """
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        # ALTER TABLE waits for every open transaction on the table: fail after a while instead
        # of hanging behind one left open (the error names the lock timeout).
        cursor.execute("SET LOCAL lock_timeout = '60s'")
        # ALTER TABLE refuses tables with checks still pending in this transaction: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            """
            SELECT c.conname, c.conrelid::regclass::text, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
            ORDER BY 2, 1
            """,
            [sorted(set(tables))],
        )
        constraints = cursor.fetchall()
        for name, table, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return constraints


def restore_foreign_keys(constraints: list[tuple[str, str, str]]) -> int:
    """Add back what `drop_foreign_keys` dropped; PostgreSQL checks every row as it does."""
    if not constraints:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, table, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return len(constraints)


def drop_indexes(tables: Iterable[str]) -> list[str]:
    """On PostgreSQL, drop the plain (non-unique) indexes of `tables` and return their
    definitions for `restore_indexes`: building an index once over millions of rows is several
    times faster than updating it row by row (the same manual page). Primary keys and unique
    indexes stay, so that duplicates still fail at once."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
            ORDER BY 1
            """,
            [sorted(set(tables))],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes]


def restore_indexes(definitions: list[str]) -> int:
    if not definitions:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # sorts in memory, not on disk
        for definition in definitions:
            cursor.execute(definition)
    return len(definitions)


def analyze(tables: Iterable[str]) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL's autovacuum comes much later)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in sorted(set(tables)):
            cursor.execute(f"ANALYZE {table}")
