"""generate_data: exact sizes, the same data from the same seed, realistic invariants, and a
generated data set next to the demo without touching it."""

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Account, AccountSnapshot, Revenue
from kam.models import User
from kam.top.generator import SIZES
from kam.top.generator.bulk import copy_text
from planning.models import Activity, Request
from planning.priority import score
from stakeholders import decay
from stakeholders.models import Interaction, Position, Relationship, Stakeholder

# The five numbers generate_data promises exactly.
SIZED = ("groups", "nodes", "stakeholders", "interactions", "relationships")
APPS = ("kam", "accounts", "stakeholders", "planning")


def generate(size: str = "xs", seed: int = 1, jobs: bool = False) -> str:
    out = StringIO()
    call_command("generate_data", size=size, seed=seed, no_jobs=not jobs, stdout=out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    """Rows in every table of the project's apps, many-to-many tables included."""
    models = [m for label in APPS for m in apps.get_app_config(label).get_models(include_auto_created=True)]
    return {m._meta.db_table: m.objects.count() for m in models}


def sized_counts() -> dict[str, int]:
    return {
        "groups": Account.objects.filter(parent=None, owner__username__startswith="gen-").count(),
        "nodes": Account.objects.count(),
        "stakeholders": Stakeholder.objects.count(),
        "interactions": Interaction.objects.count(),
        "relationships": Relationship.objects.count(),
    }


def fingerprint() -> tuple:
    return (
        sorted(Account.objects.values_list("name", flat=True)),
        sorted(Stakeholder.objects.values_list("first_name", "last_name", "job_title")),
        sorted(User.objects.values_list("username", flat=True)),
        Revenue.objects.aggregate(total=Sum("amount"))["total"],
    )


def expected(size: str) -> dict[str, int]:
    spec = SIZES[size]
    return {name: getattr(spec, name) for name in SIZED}


def levels(accounts: list[Account]) -> dict[int, int]:
    """Each account's level in its tree (the group is 1)."""
    parents = {a.pk: a.parent_id for a in accounts}
    found: dict[int, int] = {}

    def level(pk: int) -> int:
        if pk not in found:
            found[pk] = 1 if parents[pk] is None else level(parents[pk]) + 1
        return found[pk]

    return {pk: level(pk) for pk in parents}


def roots() -> dict[int, int]:
    """Each account's top-level group."""
    parents = dict(Account.objects.values_list("pk", "parent_id"))
    top = {}
    for pk in parents:
        node = pk
        while parents[node] is not None:
            node = parents[node]
        top[pk] = node
    return top


@pytest.mark.django_db
def test_xs_twice_with_one_seed_gives_the_same_data_and_another_seed_other_data():
    generate(seed=1)
    first, first_print = table_counts(), fingerprint()
    generate(seed=1)

    assert table_counts() == first
    assert fingerprint() == first_print
    generate(seed=2)
    assert sized_counts() == expected("xs")
    assert fingerprint() != first_print


@pytest.mark.django_db
def test_xs_has_the_exact_size_and_a_plausible_shape():
    output = generate()

    assert sized_counts() == expected("xs")
    assert output.strip().splitlines()[-1].startswith("Generated 3 groups, 60 accounts, 240 stakeholders")
    groups = Account.objects.filter(parent=None)
    assert all(g.kind == "group" and g.is_key_account and g.owner.role == "kam" for g in groups)
    accounts = list(Account.objects.all())
    depth, top = levels(accounts), roots()
    per_group = Counter(top.values())
    big = max(per_group, key=per_group.get)
    assert per_group[big] == SIZES["xs"].big_group[0]
    assert max(depth[pk] for pk, root in top.items() if root == big) == SIZES["xs"].big_group[1]
    for group_id in per_group:  # names are unique within a group
        names = [a.name for a in accounts if top[a.pk] == group_id]
        assert len(names) == len(set(names))
    assert {a.kind for a in accounts} == {"group", "headquarters", "subsidiary", "brand", "branch", "participation"}
    shares = [a.ownership_share for a in accounts if a.kind == "participation"]
    assert shares and all(Decimal(10) <= s <= Decimal(90) for s in shares)
    users = User.objects.all()
    assert all(u.username.startswith("gen-") and not u.has_usable_password() for u in users)
    assert {u.role for u in users} == {"kam", "leadership", "regional"}


@pytest.mark.django_db
def test_xs_people_and_contacts_hold_together():
    generate()
    now = timezone.now()

    people = {s.pk: s for s in Stakeholder.objects.all()}
    assert {s.buying_role for s in people.values()} == set(Stakeholder.BuyingRole.values)
    assert all(s.cadence_days == Stakeholder.DEFAULT_CADENCE_DAYS[s.buying_role] for s in people.values())
    for person in people.values():  # reporting lines end at the top, never in a loop
        seen, boss = {person.pk}, person.reports_to_id
        while boss is not None:
            assert boss not in seen, f"reporting cycle through {boss}"
            seen.add(boss)
            boss = people[boss].reports_to_id
    assert Position.objects.filter(ended_on=None).count() == len(people)
    assert Position.objects.exclude(ended_on=None).exists(), "some people changed jobs inside their group"

    top = roots()
    pairs = set(Relationship.objects.values_list("user_id", "stakeholder_id"))
    with_people = Interaction.stakeholders.through.objects.values_list("interaction_id", "stakeholder_id")
    with_colleagues = Interaction.colleagues.through.objects.values_list("interaction_id", "user_id")
    interactions = {i.pk: i for i in Interaction.objects.all()}
    assert all(i.occurred_at <= now for i in interactions.values())
    assert min(i.occurred_at for i in interactions.values()) >= now - timezone.timedelta(days=401)
    colleagues_of = {}
    for interaction_id, user_id in with_colleagues:
        colleagues_of.setdefault(interaction_id, []).append(user_id)
    for interaction_id, person_id in with_people:
        interaction = interactions[interaction_id]
        assert top[people[person_id].account_id] == top[interaction.account_id], "people of one group per contact"
        assert all((user_id, person_id) in pairs for user_id in colleagues_of[interaction_id])
    assert set(colleagues_of) == set(interactions), "every contact has a colleague"


@pytest.mark.django_db
def test_xs_plans_keep_the_rules_that_save_would():
    generate()

    activities = list(Activity.objects.all())
    assert activities
    assert all(a.priority_score == score(a.impact, a.urgency, a.effort_hours) for a in activities)
    assert all(a.assignee_id for a in activities if a.status in ("assigned", "accepted", "in_progress", "declined"))
    assert all(a.decline_reason for a in activities if a.status == "declined")
    assert all(r.decline_reason for r in Request.objects.filter(status="declined"))
    today = timezone.localdate()
    assert any(a.is_overdue(today) for a in activities)
    regional = [a for a in activities if a.assignee and a.assignee.role == "regional"]
    assert any(a.assignee.country == a.account.country for a in regional)


@pytest.mark.django_db
def test_xs_with_the_jobs_has_warm_and_cold_relationships_and_trends():
    output = generate(jobs=True)

    assert "decay job" in output and "today's snapshot" in output
    assert set(Relationship.objects.values_list("status", flat=True)) == {"warm", "cooling", "cold"}
    assert AccountSnapshot.objects.filter(day=timezone.localdate()).count() == SIZES["xs"].nodes


@pytest.mark.django_db
def test_generate_data_leaves_the_demo_alone_and_the_demo_it():
    call_command("seed_demo", password="demo-pass-4711", stdout=StringIO())
    demo = table_counts()
    daimler = Account.objects.get(name="Daimler", parent=None)
    generate(jobs=True)
    together = table_counts()
    call_command("seed_demo", password="demo-pass-4711", stdout=StringIO())

    assert table_counts() == together
    generate(jobs=True)
    assert table_counts() == together
    xs = SIZES["xs"]
    assert sized_counts() == {
        "groups": xs.groups,
        "nodes": demo["accounts_account"] + xs.nodes,
        "stakeholders": demo["stakeholders_stakeholder"] + xs.stakeholders,
        "interactions": demo["stakeholders_interaction"] + xs.interactions,
        "relationships": demo["stakeholders_relationship"] + xs.relationships,
    }
    assert Account.objects.get(name="Daimler", parent=None).pk == daimler.pk
    assert set(User.objects.exclude(username__startswith="gen-").values_list("username", flat=True)) == {
        "kam",
        "leader",
        "regional",
        "admin",
    }


@pytest.mark.django_db
def test_s_on_postgresql_has_the_exact_size():
    if connection.vendor != "postgresql":
        pytest.skip("size s is for PostgreSQL (COPY); SQLite runs xs")
    generate("s")

    assert sized_counts() == expected("s")
    accounts = list(Account.objects.all())
    top, depth = roots(), levels(accounts)
    per_group = Counter(top.values())
    big = max(per_group, key=per_group.get)
    assert (per_group[big], max(depth[pk] for pk in top if top[pk] == big)) == SIZES["s"].big_group


@pytest.mark.django_db
def test_relationships_are_written_as_the_decay_job_computes_them():
    generate()
    written = {(r.user_id, r.stakeholder_id): r for r in Relationship.objects.all()}
    decay.recompute()

    recomputed = {(r.user_id, r.stakeholder_id): r for r in Relationship.objects.all()}
    for pair, mine in written.items():
        theirs = recomputed[pair]
        assert (mine.status, mine.last_interaction_at) == (theirs.status, theirs.last_interaction_at), pair
        assert abs(mine.strength - theirs.strength) <= 1, pair  # sums in another order may round apart
    assert {r.status for r in written.values()} == {"warm", "cooling", "cold"}


def test_copy_text_escapes_only_what_needs_it():
    assert copy_text([(1, None, "a b", True, Decimal("1.50")), (2, "x", "", False, None)], 5) == (
        "1\t\\N\ta b\tTrue\t1.50\n2\tx\t\tFalse\t\\N\n"
    )
    assert copy_text([(1, "tab\there", "back\\slash", "two\nlines", None)], 5) == (
        "1\ttab\\there\tback\\\\slash\ttwo\\nlines\t\\N\n"
    )
