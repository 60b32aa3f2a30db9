"""The customer group hierarchy as SQL.

Accounts store only their parent (an adjacency list); subtrees and ancestor paths are read
with recursive CTEs, which PostgreSQL and SQLite both run. A move is a single-row update.
See bench/README.md for the measurement behind this choice.
"""

from django.db import connection

# Ids of every account in the subtrees of the accounts a user owns or is on the team of.
# UNION (not UNION ALL) drops nodes reached twice through overlapping subtrees. The starting
# accounts come from two index lookups: "owner_id = %s OR id IN (…)" scanned every account and
# made the planner expect a million rows.
SUBTREE_OF_OWNED_OR_TEAM_SQL = """
WITH RECURSIVE scope(id) AS (
    SELECT id FROM accounts_account WHERE owner_id = %s
    UNION
    SELECT account_id FROM accounts_accountteammember WHERE user_id = %s
    UNION
    SELECT child.id FROM accounts_account child JOIN scope ON child.parent_id = scope.id
)
SELECT id FROM scope
"""

# Ids of an account and all its descendants (archived ones are skipped with their subtree).
SUBTREE_IDS_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM accounts_account WHERE id = %s
    UNION ALL
    SELECT child.id FROM accounts_account child JOIN subtree ON child.parent_id = subtree.id
    WHERE child.archived_at IS NULL
)
SELECT id FROM subtree
"""

# The same including archived descendants (to restore what was archived together).
SUBTREE_WITH_ARCHIVED_IDS_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM accounts_account WHERE id = %s
    UNION ALL
    SELECT child.id FROM accounts_account child JOIN subtree ON child.parent_id = subtree.id
)
SELECT id FROM subtree
"""

# Every active node below each of the roots {roots} (a list of placeholders), with the factor
# it counts at in the root's roll-up: a participation at its ownership share, nested ones
# multiplied. Continue the WITH clause with ", more AS (...)" or a SELECT from sub.
WEIGHTED_SUBTREES_SQL = """
WITH RECURSIVE sub(root_id, id, factor) AS (
    SELECT id, id, CAST(1 AS NUMERIC) FROM accounts_account WHERE id IN ({roots})
    UNION ALL
    -- 100.0, not 100: SQLite stores 50.00 as the integer 50, and 50 / 100 would be 0 there.
    SELECT sub.root_id, child.id, CAST(sub.factor * CASE WHEN child.kind = 'participation'
        THEN child.ownership_share / 100.0 ELSE 1 END AS NUMERIC)
    FROM accounts_account child JOIN sub ON child.parent_id = sub.id
    WHERE child.archived_at IS NULL
)
"""


# Ids of an account's whole customer group (its root's active subtree), without first asking
# for the root.
GROUP_IDS_SQL = """
WITH RECURSIVE path(id, parent_id) AS (
    SELECT id, parent_id FROM accounts_account WHERE id = %s
    UNION ALL
    SELECT a.id, a.parent_id FROM accounts_account a JOIN path ON a.id = path.parent_id
),
subtree(id) AS (
    SELECT id FROM path WHERE parent_id IS NULL
    UNION ALL
    SELECT child.id FROM accounts_account child JOIN subtree ON child.parent_id = subtree.id
    WHERE child.archived_at IS NULL
)
SELECT id FROM subtree
"""

# Ids from the top of the hierarchy down to an account, both ends included.
ANCESTOR_IDS_SQL = """
WITH RECURSIVE path(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM accounts_account WHERE id = %s
    UNION ALL
    SELECT a.id, a.parent_id, path.depth + 1 FROM accounts_account a JOIN path ON a.id = path.parent_id
)
SELECT id FROM path ORDER BY depth DESC
"""

_DESCENDS_FROM_SQL = """
WITH RECURSIVE path(id, parent_id) AS (
    SELECT id, parent_id FROM accounts_account WHERE id = %s
    UNION ALL
    SELECT a.id, a.parent_id FROM accounts_account a JOIN path ON a.id = path.parent_id
)
SELECT 1 FROM path WHERE id = %s
"""

SUBTREE_COLUMNS = ("id", "parent_id", "depth", "name", "kind", "country", "city", "ownership_share", "is_key_account")

# The columns travel down with the recursion: joining the ids back to accounts_account made
# the planner hash the whole table for a subtree of a few dozen nodes.
_SUBTREE_ROWS_SQL = """
WITH RECURSIVE subtree(id, parent_id, depth, name, kind, country, city, ownership_share, is_key_account) AS (
    SELECT id, parent_id, 0, name, kind, country, city, ownership_share, is_key_account
    FROM accounts_account WHERE id = %s
    UNION ALL
    SELECT c.id, c.parent_id, subtree.depth + 1, c.name, c.kind, c.country, c.city, c.ownership_share, c.is_key_account
    FROM accounts_account c JOIN subtree ON c.parent_id = subtree.id
    WHERE c.archived_at IS NULL
)
SELECT id, parent_id, depth, name, kind, country, city, ownership_share, is_key_account
FROM subtree ORDER BY depth, LOWER(name), id
"""


def subtree_rows(root_id: int) -> list[dict]:
    """The active subtree of `root_id` (root included), ordered by depth then name."""
    with connection.cursor() as cursor:
        cursor.execute(_SUBTREE_ROWS_SQL, [root_id])
        return [dict(zip(SUBTREE_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def ancestor_ids(account_id: int) -> list[int]:
    """Ids from the top of the hierarchy down to `account_id`, both ends included."""
    with connection.cursor() as cursor:
        cursor.execute(ANCESTOR_IDS_SQL, [account_id])
        return [row[0] for row in cursor.fetchall()]


def descends_from(account_id: int, ancestor_id: int) -> bool:
    """True when `account_id` is `ancestor_id` or lies anywhere below it."""
    with connection.cursor() as cursor:
        cursor.execute(_DESCENDS_FROM_SQL, [account_id, ancestor_id])
        return cursor.fetchone() is not None


_ROOTS_SQL = """
WITH RECURSIVE up(start_id, id, parent_id) AS (
    SELECT id, id, parent_id FROM accounts_account WHERE id IN ({placeholders})
    UNION ALL
    SELECT up.start_id, a.id, a.parent_id FROM accounts_account a JOIN up ON a.id = up.parent_id
)
SELECT start_id, id FROM up WHERE parent_id IS NULL
"""


def group_root_ids(account_ids: set[int] | list[int]) -> dict[int, int]:
    """The top-level group of each account: {account id: id of its root}."""
    ids = sorted(set(account_ids))
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_ROOTS_SQL.format(placeholders=", ".join(["%s"] * len(ids))), ids)
        return dict(cursor.fetchall())
