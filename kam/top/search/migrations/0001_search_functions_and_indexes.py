"""Search on PostgreSQL: the unaccent and pg_trgm extensions, immutable functions around
unaccent (itself only STABLE, so it cannot sit in an index or a generated column), and on
every searchable table generated columns (PostgreSQL computes them on every write) with a GIN
index. They are not fields of the models, which stay the same on SQLite: the queries in
kam/top/search/backends.py read them by name (kinds.py lists the fields they are made of; a
test compares the two).
Nothing on SQLite, where `kam_norm` is a Python function registered on each connection.

On 2,000,000 contacts this takes about six minutes (the contacts' table is rewritten once)."""

from django.db import migrations

FUNCTIONS = r"""CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION kam_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
-- Names: folded words between single spaces, with a space at both ends (normalize.norm).
CREATE OR REPLACE FUNCTION kam_norm(VARIADIC text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT ' ' || btrim(regexp_replace(lower(kam_unaccent(array_to_string($1, ' '))),
                                            '[^[:alnum:]]+', ' ', 'g')) || ' ' $$;
-- Texts: German and English word forms of one text, accents folded.
CREATE OR REPLACE FUNCTION kam_text(text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('pg_catalog.german'::regconfig, kam_unaccent(coalesce($1, '')))
              || to_tsvector('pg_catalog.english'::regconfig, kam_unaccent(coalesce($1, ''))) $$;
-- A title (weight A) and its text (weight D, the default).
CREATE OR REPLACE FUNCTION kam_titled(text, text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT setweight(kam_text($1), 'A') || kam_text($2) $$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS kam_titled(text, text);
DROP FUNCTION IF EXISTS kam_text(text);
DROP FUNCTION IF EXISTS kam_norm(VARIADIC text[]);
DROP FUNCTION IF EXISTS kam_unaccent(text);
"""

# Names: the folded words of every name field (`search_name`, with a trigram index for
# LIKE ' word%' and pg_trgm's <%) and of the name alone (`search_title`, for exact matches).
NAME_COLUMNS = {
    "accounts_account": ("kam_norm(name, city)", "kam_norm(name)"),
    "stakeholders_stakeholder": ("kam_norm(first_name, last_name, job_title, email, phone)",
                                 "kam_norm(first_name, last_name)"),
}  # fmt: skip
# Texts: the German and English word forms (`search_vector`) and their GIN index.
TEXT_COLUMNS = {
    "stakeholders_interaction": "kam_text(summary)",
    "stakeholders_give": "kam_text(description)",
    "planning_accountplan": "kam_titled(title, summary)",
    "planning_objective": "kam_titled(title, description)",
    "planning_activity": "kam_titled(title, description)",
    "planning_request": "kam_titled(title, description)",
}
# Stored columns rather than expression indexes: checking and ranking a candidate then reads
# the column instead of folding names or computing word forms again, which is what keeps a
# KAM's search fast when PostgreSQL starts from the KAM's accounts rather than from the index.


def _column(table: str, name: str, kind: str, expression: str) -> str:
    return f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {name} {kind} GENERATED ALWAYS AS ({expression}) STORED"


def statements() -> list[str]:
    found = [FUNCTIONS]
    for table, (names, title) in NAME_COLUMNS.items():
        found += [
            _column(table, "search_name", "text", names),
            _column(table, "search_title", "text", title),
            f"CREATE INDEX IF NOT EXISTS {table}_search_name ON {table} USING gin (search_name gin_trgm_ops)",
        ]
    for table, expression in TEXT_COLUMNS.items():
        found += [
            _column(table, "search_vector", "tsvector", expression),
            f"CREATE INDEX IF NOT EXISTS {table}_search_vector ON {table} USING gin (search_vector)",
        ]
    # The planner needs statistics of the new columns to choose the indexes.
    return found + [f"ANALYZE {table}" for table in [*NAME_COLUMNS, *TEXT_COLUMNS]]


def drop_statements() -> list[str]:
    found = [f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_name, DROP COLUMN IF EXISTS search_title"
             for table in NAME_COLUMNS]  # fmt: skip
    found += [f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector" for table in TEXT_COLUMNS]
    return [*found, DROP_FUNCTIONS]


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in statements():
            schema_editor.execute(statement)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in drop_statements():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_active_key_account_index"),
        ("stakeholders", "0003_list_order_indexes"),
        ("planning", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
