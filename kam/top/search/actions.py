"""What the palette offers to do besides opening a record: create something, go somewhere,
and "log a contact with …" for the people it found. Each only for whoever may do it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kam.models import User
from kam.top.search.normalize import Terms, norm
from kam.visibility import can_create_groups
from stakeholders.permissions import may_log_contacts

LOG_FOR = 3  # "log a contact with …" for this many of the people found


@dataclass(frozen=True)
class Action:
    label: str
    url: str


def _may_plan(user: User) -> bool:
    return user.writes_everything or user.role == User.Role.KAM


def _fixed(user: User) -> list[Action]:
    offered = []
    if can_create_groups(user):
        offered.append(Action(_("New account"), reverse("accounts:create")))
    if _may_plan(user):
        offered += [
            Action(_("New person"), reverse("stakeholders:create")),
            Action(_("New plan"), reverse("planning:plan_create")),
        ]
    offered += [
        Action(_("Log a request"), reverse("planning:request_create")),
        Action(_("My tasks"), reverse("planning:my_tasks")),
        Action(_("Alerts"), reverse("stakeholders:alerts")),
    ]
    return offered


def _fits(label: str, terms: Terms) -> bool:
    words = norm(label)
    return all(any(f" {variant}" in words for variant in word.variants) for word in terms.words)


def actions(*, user: User, terms: Terms, people: list) -> list[Action]:
    """Fixed actions whose label fits what was typed (all of them for an empty query), and a
    contact to log with each of the first people found."""
    offered = [action for action in _fixed(user) if not terms or _fits(action.label, terms)]
    if may_log_contacts(user):
        for hit in people[:LOG_FOR]:
            if hit.account:
                url = reverse("stakeholders:quick_log", args=[hit.account["id"]])
                query = urlencode({"stakeholder": hit.id, "next": hit.url})
                offered.append(Action(_("Log a contact with %(name)s") % {"name": hit.title}, f"{url}?{query}"))
    return offered
