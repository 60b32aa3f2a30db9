"""Who may record and change contacts and gives: the rules the services enforce, and that pages
and the API ask before they offer a button or accept a write."""

from kam.models import User
from kam.visibility import may_change_account
from stakeholders.models import Give, Interaction


def may_log_contacts(user: User) -> bool:
    """Everyone who sees an account records contacts and gives on it, except sales leadership,
    which reads and never writes."""
    return user.is_authenticated and not user.is_read_only


def may_change_interaction(user: User, interaction: Interaction) -> bool:
    """Whoever logged a contact changes it, and so does whoever may change its account."""
    return may_log_contacts(user) and (
        interaction.logged_by_id == user.pk or may_change_account(user, interaction.account_id)
    )


def may_change_give(user: User, give: Give) -> bool:
    """The colleague a give is recorded for changes it, and so does whoever may change the
    person's account."""
    return may_log_contacts(user) and (give.user_id == user.pk or may_change_account(user, give.stakeholder.account_id))
