"""The accounts a key account manager reaches, as a scope of the visibility rule (kam/visibility.py,
named in the settings' KAM_READ_SCOPES and KAM_WRITE_SCOPES)."""

from django.db.models.expressions import RawSQL

from accounts.hierarchy import SUBTREE_OF_OWNED_OR_TEAM_SQL
from kam.models import User


def owned_or_team_subtrees(user: User) -> RawSQL:
    """The whole subtree of every account `user` owns or is on the team of."""
    # The CTE itself, not wrapped in another subquery: PostgreSQL then plans it as one hashed set.
    return RawSQL(SUBTREE_OF_OWNED_OR_TEAM_SQL, [user.pk, user.pk])
