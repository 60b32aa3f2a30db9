"""The account potential job: a dated snapshot of every node with own and rolled-up figures and
the whitespace ranking of untapped nodes, against hand-computed numbers; idempotent per day;
set-based; fed by the outbox that figure changes write.

The group used below, amounts for YEAR (A and B are product lines; r = revenue, p = potential):

    Nordwerk (group)                        A: r 100 p 300
    ├── Nordwerk Energie (subsidiary)       A: r 200 p 200   B: p 50
    └── Nordwerk Mobil (participation 50 %) A: r 100 p 400
        ├── Mobil Süd (branch)              A: p 100          (untapped)
        └── Mobil Flotte (participation 40 %) A: p 1000       (untapped)

own:     group r 100 p 300 ws 200 · Energie r 200 p 250 ws 0 + 50 = 50 · Mobil r 100 p 400 ws 300
         Süd r 0 p 100 ws 100 · Flotte r 0 p 1000 ws 1000
rollup:  Mobil   r 100, p 400 + 100 + 40 % × 1000 = 900, ws 300 + 100 + 400 = 800, SoW 0.1111
         group   r 100 + 200 + 50 % × 100 = 350, p 300 + 250 + 50 % × 900 = 1000,
                 ws 200 + 50 + 50 % × 800 = 650, SoW 0.35
untapped (no own revenue, some whitespace), by whitespace: 1 Flotte (1000), 2 Süd (100).
"""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.urls import reverse

from accounts import recompute
from accounts.models import Account, AccountSnapshot, StaleGroup
from accounts.potential import subtree_figures
from accounts.services import account_archive, account_move, figure_save
from kam.models import User
from kam.top import snapshots
from tests import factories
from tests.factories import (
    AccountFactory,
    GroupFactory,
    ParticipationFactory,
    ProductLineFactory,
    RevenueFactory,
    UserFactory,
    bulk_tree,
)

YEAR = date.today().year
DAY = date.today()
D = Decimal


@pytest.fixture
def lines(db):
    return ProductLineFactory(code="A"), ProductLineFactory(code="B")


figures = partial(factories.figures, year=YEAR)


@pytest.fixture
def nordwerk(kam_user, lines):
    a, b = lines
    group = GroupFactory(name="Nordwerk", owner=kam_user)
    energie = AccountFactory(name="Nordwerk Energie", parent=group)
    mobil = ParticipationFactory(name="Nordwerk Mobil", parent=group, ownership_share=D("50"))
    sued = AccountFactory(name="Mobil Süd", kind=Account.Kind.BRANCH, parent=mobil)
    flotte = ParticipationFactory(name="Mobil Flotte", parent=mobil, ownership_share=D("40"))
    figures(group, a, revenue=100, potential=300)
    figures(energie, a, revenue=200, potential=200)
    figures(energie, b, potential=50)
    figures(mobil, a, revenue=100, potential=400)
    figures(sued, a, potential=100)
    figures(flotte, a, potential=1000)
    return {"group": group, "energie": energie, "mobil": mobil, "sued": sued, "flotte": flotte}


def snapshot_of(account: Account, day: date = DAY) -> AccountSnapshot:
    return AccountSnapshot.objects.get(account=account, day=day)


def test_snapshot_holds_own_and_rolled_up_figures_of_every_node(nordwerk):
    run = snapshots.snapshot_all()

    assert (run.groups, run.nodes) == (1, 5)
    group = snapshot_of(nordwerk["group"])
    assert (group.own_revenue, group.own_potential, group.own_whitespace) == (D("100"), D("300"), D("200"))
    assert group.own_share_of_wallet == D("0.3333")
    assert (group.rollup_revenue, group.rollup_potential, group.rollup_whitespace) == (D("350"), D("1000"), D("650"))
    assert group.rollup_share_of_wallet == D("0.35")
    energie = snapshot_of(nordwerk["energie"])
    assert (energie.own_potential, energie.own_whitespace, energie.own_share_of_wallet) == (D("250"), D("50"), D("0.8"))
    mobil = snapshot_of(nordwerk["mobil"])
    assert (mobil.rollup_revenue, mobil.rollup_potential, mobil.rollup_whitespace) == (D("100"), D("900"), D("800"))
    assert mobil.rollup_share_of_wallet == D("0.1111")
    assert {row.account_id: row.group_id for row in AccountSnapshot.objects.all()} == {
        node.pk: nordwerk["group"].pk for node in nordwerk.values()
    }
    assert all(row.year == YEAR for row in AccountSnapshot.objects.all())


def test_untapped_nodes_are_ranked_by_whitespace_within_their_group(nordwerk, lines, kam_user):
    other = GroupFactory(name="Südwerk", owner=kam_user)
    untapped = AccountFactory(name="Südwerk Nord", parent=other)
    figures(untapped, lines[0], potential=5)

    snapshots.snapshot_all()

    ranks = {row.account.name: row.whitespace_rank for row in AccountSnapshot.objects.select_related("account")}
    assert ranks == {
        "Nordwerk": None,  # has revenue
        "Nordwerk Energie": None,
        "Nordwerk Mobil": None,
        "Mobil Flotte": 1,
        "Mobil Süd": 2,
        "Südwerk": None,  # no revenue, but no potential either: nothing to win
        "Südwerk Nord": 1,  # ranks start again in every group
    }


def test_snapshot_agrees_with_the_roll_ups_of_the_account_page(kam_user, lines):
    root = GroupFactory(name="Big", owner=kam_user)
    bulk_tree(root, size=300, product_line=lines[0], year=YEAR)

    snapshots.snapshot_all()

    expected = {node.id: node.rollup.rounded() for node in subtree_figures(root.pk, YEAR).walk()}
    got = {
        row.account_id: (row.rollup_revenue, row.rollup_potential, row.rollup_whitespace)
        for row in AccountSnapshot.objects.filter(day=DAY)
    }
    assert got == {pk: (f.revenue, f.potential, f.whitespace) for pk, f in expected.items()}


def test_running_twice_on_one_day_leaves_one_snapshot_per_node_with_the_latest_figures(nordwerk, lines):
    snapshots.snapshot_all()
    RevenueFactory(account=nordwerk["sued"], product_line=lines[0], year=YEAR, amount=D("60"))

    snapshots.snapshot_all()

    assert AccountSnapshot.objects.filter(day=DAY).count() == 5
    sued = snapshot_of(nordwerk["sued"])
    assert (sued.own_revenue, sued.own_whitespace, sued.whitespace_rank) == (D("60"), D("40"), None)
    assert snapshot_of(nordwerk["flotte"]).whitespace_rank == 1
    assert snapshot_of(nordwerk["group"]).rollup_revenue == D("380")  # 350 + 50 % × 60


def test_every_day_gets_its_own_snapshot_for_trends(nordwerk, lines):
    snapshots.snapshot_groups([nordwerk["group"].pk], day=date(YEAR, 1, 10))
    RevenueFactory(account=nordwerk["flotte"], product_line=lines[0], year=YEAR, amount=D("500"))
    snapshots.snapshot_groups([nordwerk["group"].pk], day=date(YEAR, 1, 11))

    trend = AccountSnapshot.objects.filter(account=nordwerk["group"]).order_by("day")
    assert [(row.day.day, row.rollup_revenue) for row in trend] == [(10, D("350")), (11, D("450"))]


def test_archived_nodes_leave_the_days_snapshot(nordwerk, kam_user):
    snapshots.snapshot_all()

    account_archive(actor=kam_user, account=nordwerk["mobil"])  # with Süd and Flotte
    snapshots.catch_up()

    assert set(AccountSnapshot.objects.values_list("account__name", flat=True)) == {"Nordwerk", "Nordwerk Energie"}
    assert snapshot_of(nordwerk["group"]).rollup_revenue == D("300")


def test_the_job_costs_the_same_queries_for_ten_nodes_and_a_thousand(django_assert_max_num_queries, kam_user, lines):
    small, big = GroupFactory(name="Small", owner=kam_user), GroupFactory(name="Big", owner=kam_user)
    bulk_tree(small, size=10, product_line=lines[0], year=YEAR)
    bulk_tree(big, size=1000, product_line=lines[0], year=YEAR)

    # Per batch of groups: the snapshot, dropping leftovers (and what points at them), the pointers.
    with django_assert_max_num_queries(8) as on_small:
        snapshots.snapshot_groups([small.pk])
    with django_assert_max_num_queries(8) as on_big:
        snapshots.snapshot_groups([big.pk])

    assert len(on_small) == len(on_big)
    assert AccountSnapshot.objects.filter(group=big).count() == 1000


# --- the outbox ---------------------------------------------------------------------------------


def test_saving_a_figure_marks_its_group_in_the_same_transaction(nordwerk, kam_user, lines):
    figure_save(actor=kam_user, figure=RevenueFactory.build(account=nordwerk["sued"], product_line=lines[1], year=YEAR))

    assert list(StaleGroup.objects.values_list("group_id", flat=True)) == [nordwerk["group"].pk]


def test_a_move_marks_the_group_left_and_the_group_joined(nordwerk, kam_user):
    other = GroupFactory(name="Südwerk", owner=kam_user)

    account_move(actor=kam_user, account=nordwerk["mobil"], new_parent=other)

    assert set(StaleGroup.objects.values_list("group_id", flat=True)) == {nordwerk["group"].pk, other.pk}


def test_catch_up_computes_only_the_marked_groups_and_clears_them(nordwerk, kam_user):
    untouched = GroupFactory(name="Untouched", owner=kam_user)
    recompute.mark_stale([nordwerk["flotte"].pk])

    run = snapshots.catch_up()

    assert (run.groups, run.nodes) == (1, 5)
    assert not AccountSnapshot.objects.filter(account=untouched).exists()
    assert not StaleGroup.objects.exists()
    assert snapshots.catch_up().nodes == 0  # nothing left to do


def test_the_nightly_run_also_clears_the_outbox(nordwerk):
    recompute.mark_stale([nordwerk["sued"].pk])

    snapshots.snapshot_all()

    assert not StaleGroup.objects.exists()


# --- eager mode (no Redis): the job runs in the request --------------------------------------------


def test_without_a_broker_saving_figures_on_the_page_computes_the_snapshot_at_once(
    client_for, kam_user, nordwerk, lines, django_capture_on_commit_callbacks
):
    a, _ = lines
    url = f"{reverse('accounts:figures', args=[nordwerk['sued'].pk])}?year={YEAR}"

    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(kam_user).post(url, {f"revenue_{a.pk}": "40", f"potential_{a.pk}": "100"})

    assert answer.status_code == 302
    assert snapshot_of(nordwerk["sued"]).own_revenue == D("40")
    assert snapshot_of(nordwerk["group"]).rollup_revenue == D("370")  # 350 + 50 % × 40
    assert not StaleGroup.objects.exists()


# --- the account page's recompute button -------------------------------------------------------------


def test_recompute_button_computes_the_group_and_shows_where_to_open_doors(
    client_for, kam_user, nordwerk, django_capture_on_commit_callbacks
):
    client = client_for(kam_user)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("accounts:recompute", args=[nordwerk["energie"].pk]), HTTP_HX_REQUEST="true")
    status = client.get(reverse("accounts:recompute_status", args=[nordwerk["energie"].pk]))

    assert answer.status_code == 200
    assert AccountSnapshot.objects.filter(group=nordwerk["group"], day=DAY).count() == 5
    page = status.content.decode()
    assert status.context["status"].state == "done"
    assert "5 nodes of Nordwerk computed" in page
    assert page.index("Mobil Flotte") < page.index("Mobil Süd")
    assert "every 1s" not in page  # done: no more polling


def test_status_polls_while_the_job_waits_for_a_worker(client_for, kam_user, nordwerk):
    # No commit callback runs here, like a worker that has not taken the job yet.
    client_for(kam_user).post(reverse("accounts:recompute", args=[nordwerk["group"].pk]))

    status = client_for(kam_user).get(reverse("accounts:recompute_status", args=[nordwerk["group"].pk]))

    assert status.context["status"].state == "queued"
    page = status.content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page and "waiting for a worker" in page


def test_sales_leadership_sees_the_status_but_cannot_recompute(client_for, leader, nordwerk):
    client = client_for(leader)

    assert client.post(reverse("accounts:recompute", args=[nordwerk["group"].pk])).status_code == 403
    status = client.get(reverse("accounts:recompute_status", args=[nordwerk["group"].pk]))
    assert status.status_code == 200 and "Recompute</button>" not in status.content.decode()
    assert not StaleGroup.objects.exists()


def test_recompute_of_a_hidden_account_answers_404(client_for, other_kam, nordwerk):
    client = client_for(other_kam)

    assert client.post(reverse("accounts:recompute", args=[nordwerk["group"].pk])).status_code == 404
    assert client.get(reverse("accounts:recompute_status", args=[nordwerk["group"].pk])).status_code == 404


def test_the_untapped_list_shows_only_nodes_the_user_may_see(client_for, nordwerk, lines):
    from accounts.models import AccountTeamMember

    member = UserFactory(username="energie-only", role=User.Role.KAM)
    AccountTeamMember.objects.create(account=nordwerk["energie"], user=member, role="specialist")
    snapshots.snapshot_all()

    status = client_for(member).get(reverse("accounts:recompute_status", args=[nordwerk["energie"].pk]))

    assert status.status_code == 200
    assert status.context["status"].untapped == []  # Flotte and Süd lie outside Energie
