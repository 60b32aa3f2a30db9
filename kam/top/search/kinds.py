"""What search finds: one `Kind` per type of record, with the fields it matches, how a hit
reads (title, snippet, link) and the filters of its results page. The order of KINDS is the
order of the groups in the palette."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from kam.top.search.normalize import Terms
from kam.top.search.snippets import excerpt
from planning.models import AccountPlan, Activity, Objective, Request
from stakeholders.models import Give, Interaction, Stakeholder


@dataclass(frozen=True)
class Shown:
    title: str
    snippet: str
    url: str


@dataclass(frozen=True)
class Kind:
    key: str  # the API's `type`
    label: Promise  # the group's heading
    model: type[models.Model]
    account: str  # the path to the record's account ("" for an account itself)
    show: Callable[[dict, Terms], Shown]
    fields: tuple[str, ...]  # what `show` reads (values of the row)
    order: tuple  # after the score: the kind's natural order
    names: tuple[str, ...] = ()  # a name kind: the fields of its trigram index, in its order
    name: tuple[str, ...] = ()  # ... and those that make up the name (an exact match ranks first)
    title: str | None = None  # a text kind: the title field (weighted higher) ...
    text: str | None = None  # ... and the text field of its full-text index
    filters: tuple[str, ...] = ()  # fields with choices (or yes/no), offered on the results page
    # Visible by a rule of its own (its model's `visible_to`), not exactly when its account is.
    own_rule: bool = False
    # Ranks a bounded set of candidates (see backends): a table of hundreds of thousands of rows.
    bounded: bool = False

    @property
    def is_name(self) -> bool:
        return bool(self.names)

    def account_field(self, suffix: str) -> str:
        return f"{self.account}__{suffix}" if self.account else suffix

    @property
    def account_id_field(self) -> str:
        return f"{self.account}_id" if self.account else "pk"


def _account(row: dict, terms: Terms) -> Shown:
    where = ", ".join(part for part in (row["city"], row["country"]) if part)
    kind = str(Account.Kind(row["kind"]).label)
    return Shown(row["name"], f"{kind} · {where}" if where else kind, reverse("accounts:detail", args=[row["pk"]]))


def _person(row: dict, terms: Terms) -> Shown:
    parts = (row["job_title"], row["email"], row["phone"])
    return Shown(
        f"{row['first_name']} {row['last_name']}".strip(),
        " · ".join(part for part in parts if part),
        reverse("stakeholders:detail", args=[row["pk"]]),
    )


def _contact(row: dict, terms: Terms) -> Shown:
    title = f"{Interaction.Kind(row['kind']).label} · {date_format(row['occurred_at'], 'SHORT_DATE_FORMAT')}"
    url = reverse("accounts:detail", args=[row["account_id"]]) + "#timeline-section"
    return Shown(title, excerpt(row["summary"], terms), url)


def _give(row: dict, terms: Terms) -> Shown:
    person = f"{row['stakeholder__first_name']} {row['stakeholder__last_name']}".strip()
    title = f"{Give.Direction(row['direction']).label}: {Give.Kind(row['kind']).label} · {person}"
    url = reverse("stakeholders:detail", args=[row["stakeholder_id"]]) + "#gives"
    return Shown(title, excerpt(row["description"], terms), url)


def _plan(row: dict, terms: Terms) -> Shown:
    return Shown(
        f"{row['title']} ({row['year']})",
        excerpt(row["summary"], terms),
        reverse("planning:plan_detail", args=[row["pk"]]),
    )


def _objective(row: dict, terms: Terms) -> Shown:
    snippet = excerpt(row["description"], terms) or row["plan__title"]
    url = reverse("planning:plan_detail", args=[row["plan_id"]]) + f"#objective-{row['pk']}"
    return Shown(row["title"], snippet, url)


def _activity(row: dict, terms: Terms) -> Shown:
    snippet = excerpt(row["description"], terms) or str(Activity.Status(row["status"]).label)
    return Shown(row["title"], snippet, reverse("planning:activity_detail", args=[row["pk"]]))


def _request(row: dict, terms: Terms) -> Shown:
    snippet = excerpt(row["description"], terms) or str(Request.Status(row["status"]).label)
    return Shown(row["title"], snippet, reverse("planning:request_detail", args=[row["pk"]]))


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            key="account",
            bounded=True,
            label=_("Accounts"),
            model=Account,
            account="",
            show=_account,
            fields=("name", "kind", "city", "country"),
            order=(Lower("name"), "pk"),
            names=("name", "city"),
            name=("name",),
            filters=("kind", "is_key_account"),
        ),
        Kind(
            key="stakeholder",
            bounded=True,
            label=_("People"),
            model=Stakeholder,
            account="account",
            show=_person,
            fields=("first_name", "last_name", "job_title", "email", "phone"),
            order=(Lower("last_name"), Lower("first_name"), "pk"),
            names=("first_name", "last_name", "job_title", "email", "phone"),
            name=("first_name", "last_name"),
            filters=("buying_role", "attitude"),
        ),
        Kind(
            key="interaction",
            bounded=True,
            label=_("Contacts"),
            model=Interaction,
            account="account",
            show=_contact,
            fields=("kind", "occurred_at", "summary", "account_id"),
            order=("-occurred_at", "-pk"),
            text="summary",
            filters=("kind", "sentiment"),
        ),
        Kind(
            key="give",
            label=_("Gives"),
            model=Give,
            account="stakeholder__account",
            show=_give,
            fields=(
                "direction",
                "kind",
                "description",
                "stakeholder_id",
                "stakeholder__first_name",
                "stakeholder__last_name",
            ),  # fmt: skip
            order=("-occurred_at", "-pk"),
            text="description",
            filters=("direction", "kind"),
        ),
        Kind(
            key="plan",
            label=_("Plans"),
            model=AccountPlan,
            account="account",
            show=_plan,
            fields=("title", "year", "summary"),
            order=("-year", Lower("title"), "pk"),
            title="title",
            text="summary",
        ),
        Kind(
            key="objective",
            label=_("Objectives"),
            model=Objective,
            account="plan__account",
            show=_objective,
            fields=("title", "description", "plan_id", "plan__title"),
            order=("-plan__year", Lower("title"), "pk"),
            title="title",
            text="description",
            filters=("metric",),
        ),
        Kind(
            key="activity",
            label=_("Activities"),
            model=Activity,
            account="account",
            show=_activity,
            fields=("title", "description", "status"),
            order=("-priority_score", "pk"),
            title="title",
            text="description",
            filters=("status",),
            own_rule=True,  # also every task ever assigned to the user
        ),
        Kind(
            key="request",
            label=_("Requests"),
            model=Request,
            account="account",
            show=_request,
            fields=("title", "description", "status"),
            order=("-created_at", "-pk"),
            title="title",
            text="description",
            filters=("status", "source"),
            own_rule=True,  # also every request the user logged
        ),
    )
}
