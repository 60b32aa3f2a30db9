"""Own and rolled-up figures against hand-computed numbers (the rules in accounts/potential.py).

The group used throughout, amounts for YEAR (A and B are product lines; r = revenue, p = potential):

    Stern (group)                      A: r 10  p 30
    ├── Stern HQ (headquarters)        A: r 100 p 300   B: r 80 p 50   (B: revenue above potential)
    │   └── Stern Leasing (subsidiary) B: r 25 (no potential at all)
    ├── Stern Mobility (participation 50 %)   A: r 200 p 400
    │   └── Stern Rides (participation 40 %)  A: r 100 p 500
    │       └── Stern Rides Lyon (branch)     A: r 50  p 50
    └── Stern Legacy (subsidiary, archived)   A: r 1000 p 1000
        └── Stern Legacy Parts (archived with it)  A: r 700 p 900
"""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.utils import timezone

from accounts.models import Account, AccountSnapshot
from accounts.potential import Figures, subtree_figures
from kam.top.snapshots import snapshot_groups
from tests import factories
from tests.factories import (
    AccountFactory,
    GroupFactory,
    ParticipationFactory,
    ProductLineFactory,
    bulk_tree,
)

YEAR = 2026
D = Decimal

figures = partial(factories.figures, year=YEAR)


@pytest.fixture
def stern(db):
    a, b = ProductLineFactory(code="A"), ProductLineFactory(code="B")
    group = GroupFactory(name="Stern")
    hq = AccountFactory(name="Stern HQ", kind=Account.Kind.HEADQUARTERS, parent=group)
    leasing = AccountFactory(name="Stern Leasing", parent=hq)
    mobility = ParticipationFactory(name="Stern Mobility", parent=group, ownership_share=D("50"))
    rides = ParticipationFactory(name="Stern Rides", parent=mobility, ownership_share=D("40"))
    lyon = AccountFactory(name="Stern Rides Lyon", kind=Account.Kind.BRANCH, parent=rides, country="FR")
    legacy = AccountFactory(name="Stern Legacy", parent=group)
    parts = AccountFactory(name="Stern Legacy Parts", parent=legacy)

    figures(group, a, revenue=10, potential=30)
    figures(hq, a, revenue=100, potential=300)
    figures(hq, b, revenue=80, potential=50)
    figures(leasing, b, revenue=25)
    figures(mobility, a, revenue=200, potential=400)
    figures(rides, a, revenue=100, potential=500)
    figures(lyon, a, revenue=50, potential=50)
    figures(legacy, a, revenue=1000, potential=1000)
    figures(parts, a, revenue=700, potential=900)
    archived = timezone.now()
    Account.objects.filter(pk__in=[legacy.pk, parts.pk]).update(archived_at=archived)
    # Another year's figures must never leak into YEAR.
    figures(group, a, revenue=9999, potential=9999, year=YEAR - 1)
    figures(rides, b, revenue=5000, potential=8000, year=YEAR + 1)
    return {
        "group": group,
        "hq": hq,
        "leasing": leasing,
        "mobility": mobility,
        "rides": rides,
        "lyon": lyon,
        "legacy": legacy,
    }


def by_name(tree) -> dict:
    return {node.name: node for node in tree.walk()}


def amounts(f) -> tuple[Decimal, Decimal, Decimal]:
    return f.rounded().amounts()


def test_own_figures_sum_rows_and_whitespace_is_per_product_line(stern):
    nodes = by_name(subtree_figures(stern["group"].pk, YEAR))

    # Stern: A r 10 p 30 → whitespace 20; SoW 10/30 = 0.3333
    assert amounts(nodes["Stern"].own) == (D(10), D(30), D(20))
    assert nodes["Stern"].own.share_of_wallet == D("0.3333")
    # Stern HQ: r 100+80 = 180, p 300+50 = 350; whitespace max(300-100,0) + max(50-80,0) = 200 + 0 = 200
    # (not 350-180 = 170: line B's surplus revenue must not eat line A's whitespace)
    assert amounts(nodes["Stern HQ"].own) == (D(180), D(350), D(200))
    assert nodes["Stern HQ"].own.share_of_wallet == D("0.5143")  # 180/350 = 0.514285…
    # Stern Leasing: r 25, p 0 → whitespace max(0-25,0) = 0, no share of wallet
    assert amounts(nodes["Stern Leasing"].own) == (D(25), D(0), D(0))
    assert nodes["Stern Leasing"].own.share_of_wallet is None
    assert nodes["Stern Leasing"].rollup.share_of_wallet is None


def test_rollup_counts_participations_at_their_share_and_nested_ones_multiply(stern):
    nodes = by_name(subtree_figures(stern["group"].pk, YEAR))

    # Stern Rides Lyon (leaf): r 50 p 50 ws 0
    assert amounts(nodes["Stern Rides Lyon"].rollup) == (D(50), D(50), D(0))
    # Stern Rides: own (100, 500, 400) + Lyon (50, 50, 0) at 100 % (a branch is fully owned)
    #   = (150, 550, 400); SoW 150/550 = 0.2727
    assert amounts(nodes["Stern Rides"].rollup) == (D(150), D(550), D(400))
    assert nodes["Stern Rides"].rollup.share_of_wallet == D("0.2727")
    # Stern Mobility: own (200, 400, 200) + 40 % × Rides (150, 550, 400) = (60, 220, 160)
    #   = (260, 620, 360); SoW 260/620 = 0.4194
    assert amounts(nodes["Stern Mobility"].rollup) == (D(260), D(620), D(360))
    assert nodes["Stern Mobility"].rollup.share_of_wallet == D("0.4194")
    # Stern HQ: own (180, 350, 200) + Leasing (25, 0, 0) = (205, 350, 200)
    assert amounts(nodes["Stern HQ"].rollup) == (D(205), D(350), D(200))
    # Stern: own (10, 30, 20) + HQ (205, 350, 200) + 50 % × Mobility (260, 620, 360) = (130, 310, 180)
    #   = (345, 690, 400); archived Legacy (1000, 1000) and its child (700, 900) count nothing;
    #   SoW 345/690 = 0.5. Lyon reaches Stern at 50 % × 40 % = 20 %: 10 of Stern's 345.
    assert amounts(nodes["Stern"].rollup) == (D(345), D(690), D(400))
    assert nodes["Stern"].rollup.share_of_wallet == D("0.5000")


def snapshot_rollups(group_id: int, year: int) -> dict[int, Figures]:
    """The roll-ups of every node of a group as the potential job's set-based SQL computes them."""
    day = date(year, 6, 1)
    snapshot_groups([group_id], day=day)
    rows = AccountSnapshot.objects.filter(group_id=group_id, day=day)
    return {row.account_id: Figures(row.rollup_revenue, row.rollup_potential, row.rollup_whitespace) for row in rows}


def test_archived_nodes_leave_the_tree_and_the_rollups(stern):
    tree = subtree_figures(stern["group"].pk, YEAR)

    assert "Stern Legacy" not in by_name(tree)
    assert "Stern Legacy Parts" not in by_name(tree)
    assert [child.name for child in tree.children] == ["Stern HQ", "Stern Mobility"]
    assert snapshot_rollups(stern["group"].pk, YEAR)[stern["group"].pk].revenue == D(345)


def test_set_based_rollups_equal_the_tree_on_every_node(stern):
    tree = subtree_figures(stern["group"].pk, YEAR)
    nodes = list(tree.walk())

    set_based = snapshot_rollups(stern["group"].pk, YEAR)

    assert len(nodes) == 6
    for node in nodes:
        assert set_based[node.id].amounts() == amounts(node.rollup), node.name
        assert set_based[node.id].share_of_wallet == node.rollup.share_of_wallet, node.name


def test_figures_of_other_years_are_ignored(stern):
    # YEAR - 1 holds only Stern's 9999/9999, YEAR + 1 only Stern Rides' B line.
    last_year = subtree_figures(stern["group"].pk, YEAR - 1)
    next_year = by_name(subtree_figures(stern["group"].pk, YEAR + 1))

    assert amounts(last_year.own) == (D(9999), D(9999), D(0))
    assert amounts(last_year.rollup) == (D(9999), D(9999), D(0))
    # Rides B: r 5000 p 8000 ws 3000, at 40 % in Mobility and 20 % in Stern
    assert amounts(next_year["Stern Rides"].rollup) == (D(5000), D(8000), D(3000))
    assert amounts(next_year["Stern"].rollup) == (D(1000), D(1600), D(600))
    assert snapshot_rollups(stern["group"].pk, YEAR + 1)[stern["group"].pk].amounts() == (D(1000), D(1600), D(600))


def test_a_node_without_rows_has_zero_figures_and_no_share_of_wallet(db):
    lonely = GroupFactory(name="Lonely")

    tree = subtree_figures(lonely.pk, YEAR)

    assert amounts(tree.rollup) == (D(0), D(0), D(0))
    assert tree.rollup.share_of_wallet is None
    assert snapshot_rollups(lonely.pk, YEAR)[lonely.pk].amounts() == (D(0), D(0), D(0))


@pytest.mark.parametrize("size", [10, 1000])
def test_subtree_figures_take_at_most_three_queries_whatever_the_size(db, django_assert_max_num_queries, size):
    line = ProductLineFactory(code="A")
    root = GroupFactory(name=f"Big {size}")
    nodes = bulk_tree(root, size=size, product_line=line)

    with django_assert_max_num_queries(3):
        tree = subtree_figures(root.pk, YEAR)

    assert len(list(tree.walk())) == len(nodes) == size
    # Every node has r 100 p 150, so the root's rollup is below 100/150 per node but positive.
    assert D(0) < tree.rollup.revenue < D(100 * size)
    assert tree.rollup.share_of_wallet == D("0.6667")


def test_set_based_rollups_equal_the_tree_on_a_large_tree(db):
    line = ProductLineFactory(code="A")
    root = GroupFactory(name="Big")
    bulk_tree(root, size=400, fanout=3, product_line=line)
    tree = subtree_figures(root.pk, YEAR)
    nodes = list(tree.walk())

    set_based = snapshot_rollups(root.pk, YEAR)

    for node in nodes:
        assert set_based[node.id].amounts() == amounts(node.rollup), node.name
