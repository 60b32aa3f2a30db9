"""Remove the data set of an earlier run, and nothing else.

Generated data is recognised by its users (username prefix `gen-`) and the top-level groups
they own. Everything in the subtrees of those groups goes, with every row that depends on it,
then the users with every row that depends on them. The dependencies are read from the models
(every foreign key of every installed model, auto-created many-to-many tables included), so a
table added later is covered without touching this module:

- a row pointing at a deleted row with on_delete=SET_NULL keeps living with NULL there;
- any other on_delete (CASCADE, PROTECT, ...) means the pointing rows go too, first. PROTECT
  guards against deleting by accident; here whatever hangs on generated data is generated
  data (or was added to it by hand, and goes with it, as a deleted group would take it).

One set-based DELETE per table and path, deepest dependants first.
"""

from django.apps import apps
from django.db import connection, models

from accounts.models import Account
from kam.models import User

PREFIX = "gen-"
MAX_DEPTH = 12  # a deeper chain of dependants would be a cycle between tables

_GENERATED_ACCOUNTS = """
CREATE TEMPORARY TABLE generator_accounts AS
WITH RECURSIVE tree(id) AS (
    SELECT id FROM accounts_account
    WHERE parent_id IS NULL AND owner_id IN (SELECT id FROM generator_users)
    UNION ALL
    SELECT a.id FROM accounts_account a JOIN tree ON a.parent_id = tree.id
)
SELECT id FROM tree
"""


def remove_generated() -> int:
    """Delete the previous generated data set; returns the number of rows deleted."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS generator_accounts")
        cursor.execute("DROP TABLE IF EXISTS generator_users")
        cursor.execute(
            "CREATE TEMPORARY TABLE generator_users AS SELECT id FROM kam_user WHERE username LIKE %s",
            [PREFIX + "%"],
        )
        cursor.execute(_GENERATED_ACCOUNTS)
        deleted = _delete(cursor, Account, "id IN (SELECT id FROM generator_accounts)")
        deleted += _delete(cursor, User, "id IN (SELECT id FROM generator_users)")
        cursor.execute("DROP TABLE generator_accounts")
        cursor.execute("DROP TABLE generator_users")
    return deleted


def dependants() -> list[type[models.Model]]:
    """Accounts, users and every model whose rows a removal may delete or change."""
    found: dict[str, type[models.Model]] = {}

    def visit(model: type[models.Model], depth: int) -> None:
        found[model._meta.db_table] = model
        for field in _pointing_at(model):
            if field.model._meta.db_table not in found and depth < MAX_DEPTH:
                visit(field.model, depth + 1)

    visit(Account, 0)
    visit(User, 0)
    return list(found.values())


def _delete(cursor, model: type[models.Model], where: str, depth: int = 0) -> int:
    if depth > MAX_DEPTH:
        raise RuntimeError(f"Dependants of {model._meta.label} nest deeper than {MAX_DEPTH} tables: a cycle?")
    table = model._meta.db_table
    deleted = 0
    for field in _pointing_at(model):
        ids = f"SELECT {field.target_field.column} FROM {table} WHERE {where}"
        pointing = f"{field.column} IN ({ids})"
        if field.model is model:
            # A tree inside the table (an account's parent, a person's manager): the rows deleted
            # together need no help; rows outside the deleted set let go of the ones inside.
            cursor.execute(f"UPDATE {table} SET {field.column} = NULL WHERE {pointing} AND NOT ({where})")
        elif field.remote_field.on_delete is models.SET_NULL:
            cursor.execute(f"UPDATE {field.model._meta.db_table} SET {field.column} = NULL WHERE {pointing}")
        else:
            deleted += _delete(cursor, field.model, pointing, depth + 1)
    cursor.execute(f"DELETE FROM {table} WHERE {where}")
    return deleted + max(cursor.rowcount, 0)


def _pointing_at(model: type[models.Model]) -> list[models.ForeignKey]:
    """The foreign keys (one-to-one included) of every concrete table that point at `model`."""
    fields, seen = [], set()
    for other in apps.get_models(include_auto_created=True):
        meta = other._meta
        if meta.proxy or not meta.managed:
            continue
        for field in meta.local_concrete_fields:
            if field.is_relation and field.related_model is model and (meta.db_table, field.column) not in seen:
                seen.add((meta.db_table, field.column))
                fields.append(field)
    return fields
