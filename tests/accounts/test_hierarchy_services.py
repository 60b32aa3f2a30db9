"""Writes to the hierarchy through accounts.services: what is allowed, what is refused, and
that a refusal leaves the database exactly as it was."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.hierarchy import ancestor_ids
from accounts.models import Account, AccountTeamMember, Potential, Revenue
from accounts.services import FigureRow
from tests.factories import (
    AccountFactory,
    GroupFactory,
    PotentialFactory,
    ProductLineFactory,
    RevenueFactory,
    TeamMemberFactory,
)

YEAR = 2026


@pytest.fixture
def tree(group):
    """Daimler (owned by kam_user) → HQ, Trucks → Trucks Brazil, Vans."""
    hq = AccountFactory(name="Daimler HQ", kind=Account.Kind.HEADQUARTERS, parent=group)
    trucks = AccountFactory(name="Daimler Trucks", parent=group)
    brazil = AccountFactory(name="Trucks Brazil", kind=Account.Kind.BRANCH, parent=trucks, country="BR")
    vans = AccountFactory(name="Daimler Vans", parent=group)
    return {"group": group, "hq": hq, "trucks": trucks, "brazil": brazil, "vans": vans}


@pytest.fixture
def foreign(other_kam):
    return GroupFactory(name="Bosch", owner=other_kam)


def parent_of(account: Account) -> int | None:
    return Account.objects.get(pk=account.pk).parent_id


def field_errors(error: ValidationError) -> dict:
    return error.value.message_dict


# --- create ----------------------------------------------------------------------------------


def test_a_kam_creating_a_group_becomes_its_owner(kam_user):
    account = services.account_create(actor=kam_user, name="Siemens", kind=Account.Kind.GROUP, country="DE")

    assert Account.objects.get(pk=account.pk).owner == kam_user


def test_only_a_group_can_stand_at_the_top(kam_user):
    with pytest.raises(ValidationError) as error:
        services.account_create(actor=kam_user, name="Loose subsidiary", kind=Account.Kind.SUBSIDIARY)

    assert "kind" in field_errors(error)
    assert not Account.objects.filter(name="Loose subsidiary").exists()


def test_a_node_is_created_below_an_editable_parent(kam_user, tree):
    account = services.account_create(
        actor=kam_user, parent=tree["trucks"], name="Trucks Japan", kind=Account.Kind.SUBSIDIARY, country="JP"
    )

    assert ancestor_ids(account.pk) == [tree["group"].pk, tree["trucks"].pk, account.pk]


def test_create_below_a_parent_the_actor_cannot_change_is_refused(kam_user, foreign):
    with pytest.raises(ValidationError) as error:
        services.account_create(actor=kam_user, parent=foreign, name="Sneaky", kind=Account.Kind.SUBSIDIARY)

    assert "parent" in field_errors(error)
    assert not Account.objects.filter(name="Sneaky").exists()


# --- ownership share -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "share"),
    [
        (Account.Kind.PARTICIPATION, None),
        (Account.Kind.PARTICIPATION, Decimal("100.01")),
        (Account.Kind.PARTICIPATION, Decimal("-1")),
        (Account.Kind.SUBSIDIARY, Decimal("30")),
    ],
    ids=["participation-without-share", "share-above-100", "negative-share", "share-on-subsidiary"],
)
def test_a_bad_ownership_share_is_refused_on_create(kam_user, tree, kind, share):
    before = Account.objects.count()

    with pytest.raises(ValidationError) as error:
        services.account_create(actor=kam_user, parent=tree["group"], name="Car2Go", kind=kind, ownership_share=share)

    assert "ownership_share" in field_errors(error)
    assert Account.objects.count() == before


@pytest.mark.parametrize("share", [None, Decimal("150"), Decimal("-5")])
def test_a_bad_ownership_share_is_refused_on_update(kam_user, tree, share):
    part = AccountFactory(name="Mytaxi", kind=Account.Kind.PARTICIPATION, ownership_share=40, parent=tree["group"])

    with pytest.raises(ValidationError) as error:
        services.account_update(actor=kam_user, account=part, ownership_share=share)

    assert "ownership_share" in field_errors(error)
    assert Account.objects.get(pk=part.pk).ownership_share == Decimal("40")


def test_share_on_a_non_participation_is_refused_on_update(kam_user, tree):
    with pytest.raises(ValidationError) as error:
        services.account_update(actor=kam_user, account=tree["vans"], ownership_share=Decimal("20"))

    assert "ownership_share" in field_errors(error)
    assert Account.objects.get(pk=tree["vans"].pk).ownership_share is None


def test_participation_shares_of_0_and_100_are_accepted(kam_user, tree):
    for share in (Decimal("0"), Decimal("100")):
        services.account_create(
            actor=kam_user,
            parent=tree["group"],
            name=f"Part {share}",
            kind=Account.Kind.PARTICIPATION,
            ownership_share=share,
        )

    assert Account.objects.filter(kind=Account.Kind.PARTICIPATION).count() == 2


# --- move ------------------------------------------------------------------------------------


def test_a_move_takes_the_subtree_along(kam_user, tree):
    services.account_move(actor=kam_user, account=tree["trucks"], new_parent=tree["vans"])

    assert parent_of(tree["trucks"]) == tree["vans"].pk
    assert ancestor_ids(tree["brazil"].pk) == [tree["group"].pk, tree["vans"].pk, tree["trucks"].pk, tree["brazil"].pk]


def test_a_group_moved_to_the_top_becomes_a_root(kam_user, tree):
    sub_group = AccountFactory(name="Daimler Mobility", kind=Account.Kind.GROUP, parent=tree["group"])

    services.account_move(actor=kam_user, account=sub_group, new_parent=None)

    assert parent_of(sub_group) is None


def test_moving_a_node_into_its_own_subtree_is_refused(kam_user, tree):
    with pytest.raises(ValidationError) as error:
        services.account_move(actor=kam_user, account=tree["trucks"], new_parent=tree["brazil"])

    assert "parent" in field_errors(error)
    assert parent_of(tree["trucks"]) == tree["group"].pk
    assert parent_of(tree["brazil"]) == tree["trucks"].pk


def test_moving_a_node_onto_itself_is_refused(kam_user, tree):
    with pytest.raises(ValidationError):
        services.account_move(actor=kam_user, account=tree["trucks"], new_parent=tree["trucks"])

    assert parent_of(tree["trucks"]) == tree["group"].pk


def test_moving_the_root_below_its_own_leaf_is_refused(kam_user, tree):
    with pytest.raises(ValidationError):
        services.account_move(actor=kam_user, account=tree["group"], new_parent=tree["brazil"])

    assert parent_of(tree["group"]) is None


def test_moving_under_an_account_of_another_kam_is_refused(kam_user, tree, foreign):
    with pytest.raises(ValidationError) as error:
        services.account_move(actor=kam_user, account=tree["vans"], new_parent=foreign)

    assert "parent" in field_errors(error)
    assert parent_of(tree["vans"]) == tree["group"].pk


def test_a_team_member_cannot_move_a_node_under_a_part_of_the_group_they_cannot_see(team_kam, tree):
    TeamMemberFactory(account=tree["trucks"], user=team_kam)

    with pytest.raises(ValidationError):
        services.account_move(actor=team_kam, account=tree["brazil"], new_parent=tree["hq"])

    assert parent_of(tree["brazil"]) == tree["trucks"].pk


def test_a_kam_cannot_move_an_account_they_cannot_see(other_kam, tree, foreign):
    with pytest.raises(PermissionDenied):
        services.account_move(actor=other_kam, account=tree["vans"], new_parent=foreign)

    assert parent_of(tree["vans"]) == tree["group"].pk


def test_moving_under_an_archived_parent_is_refused(kam_user, tree):
    services.account_archive(actor=kam_user, account=tree["hq"])

    with pytest.raises(ValidationError):
        services.account_move(actor=kam_user, account=tree["vans"], new_parent=Account.objects.get(pk=tree["hq"].pk))

    assert parent_of(tree["vans"]) == tree["group"].pk


# --- figures ---------------------------------------------------------------------------------


@pytest.fixture
def lines(db):
    return ProductLineFactory(code="CARS"), ProductLineFactory(code="VANS")


def test_figures_are_saved_per_product_line(kam_user, tree, lines):
    cars, vans = lines

    services.figures_save(
        actor=kam_user,
        account=tree["hq"],
        year=YEAR,
        rows=[FigureRow(cars, Decimal("100"), Decimal("250"), 80), FigureRow(vans, Decimal("5"), None)],
    )

    assert Revenue.objects.get(account=tree["hq"], product_line=cars, year=YEAR).amount == Decimal("100")
    potential = Potential.objects.get(account=tree["hq"], product_line=cars, year=YEAR)
    assert (potential.amount, potential.confidence) == (Decimal("250"), 80)
    assert Revenue.objects.get(account=tree["hq"], product_line=vans).amount == Decimal("5")
    assert not Potential.objects.filter(product_line=vans).exists()


def test_a_negative_amount_refuses_the_whole_batch(kam_user, tree, lines):
    cars, vans = lines
    RevenueFactory(account=tree["hq"], product_line=cars, year=YEAR, amount=Decimal("50"))

    with pytest.raises(ValidationError) as error:
        services.figures_save(
            actor=kam_user,
            account=tree["hq"],
            year=YEAR,
            rows=[FigureRow(cars, Decimal("999"), Decimal("1000")), FigureRow(vans, Decimal("-1"), Decimal("10"))],
        )

    assert "VANS-revenue" in field_errors(error)
    assert list(Revenue.objects.values_list("product_line__code", "amount")) == [("CARS", Decimal("50"))]
    assert not Potential.objects.exists()


def test_an_empty_amount_removes_the_figure(kam_user, tree, lines):
    cars, _vans = lines
    RevenueFactory(account=tree["hq"], product_line=cars, year=YEAR, amount=Decimal("50"))
    PotentialFactory(account=tree["hq"], product_line=cars, year=YEAR, amount=Decimal("90"))
    RevenueFactory(account=tree["hq"], product_line=cars, year=YEAR - 1, amount=Decimal("40"))

    services.figures_save(actor=kam_user, account=tree["hq"], year=YEAR, rows=[FigureRow(cars, None, Decimal("120"))])

    assert not Revenue.objects.filter(year=YEAR).exists()
    assert Revenue.objects.get(year=YEAR - 1).amount == Decimal("40")
    assert Potential.objects.get(year=YEAR).amount == Decimal("120")


# --- archive and restore ---------------------------------------------------------------------


def archived_names() -> set[str]:
    return set(Account.objects.filter(archived_at__isnull=False).values_list("name", flat=True))


def test_archiving_takes_the_whole_subtree(kam_user, tree):
    count = services.account_archive(actor=kam_user, account=tree["trucks"])

    assert count == 2
    assert archived_names() == {"Daimler Trucks", "Trucks Brazil"}


def test_restore_brings_back_only_what_was_archived_together(kam_user, tree):
    services.account_archive(actor=kam_user, account=tree["brazil"])
    services.account_archive(actor=kam_user, account=tree["trucks"])
    assert archived_names() == {"Daimler Trucks", "Trucks Brazil"}

    count = services.account_restore(actor=kam_user, account=Account.objects.get(pk=tree["trucks"].pk))

    assert count == 1
    assert archived_names() == {"Trucks Brazil"}


def test_restore_is_refused_while_the_parent_is_archived(kam_user, tree):
    services.account_archive(actor=kam_user, account=tree["trucks"])

    with pytest.raises(ValidationError):
        services.account_restore(actor=kam_user, account=Account.objects.get(pk=tree["brazil"].pk))

    assert archived_names() == {"Daimler Trucks", "Trucks Brazil"}


# --- leadership reads, never writes ----------------------------------------------------------


def test_leadership_cannot_write_through_any_service(leader, tree, lines):
    cars, _vans = lines
    # Creating is refused as bad input (no parent they may change, no top-level groups) ...
    with pytest.raises(ValidationError):
        services.account_create(actor=leader, name="New group", kind=Account.Kind.GROUP)
    with pytest.raises(ValidationError):
        services.account_create(actor=leader, parent=tree["group"], name="New sub", kind=Account.Kind.SUBSIDIARY)
    # ... every change to an existing account as not permitted.
    changes = [
        lambda: services.account_update(actor=leader, account=tree["hq"], name="Renamed"),
        lambda: services.account_move(actor=leader, account=tree["vans"], new_parent=tree["hq"]),
        lambda: services.account_archive(actor=leader, account=tree["trucks"]),
        lambda: services.figures_save(
            actor=leader, account=tree["hq"], year=YEAR, rows=[FigureRow(cars, Decimal("1"), Decimal("2"))]
        ),
        lambda: services.team_member_set(
            actor=leader, account=tree["hq"], user=leader, role=AccountTeamMember.Role.EXECUTIVE_SPONSOR
        ),
    ]
    for change in changes:
        with pytest.raises(PermissionDenied):
            change()

    assert set(Account.objects.values_list("name", flat=True)) == {
        "Daimler",
        "Daimler HQ",
        "Daimler Trucks",
        "Trucks Brazil",
        "Daimler Vans",
    }
    assert parent_of(tree["vans"]) == tree["group"].pk
    assert not archived_names()
    assert not Revenue.objects.exists()
    assert not AccountTeamMember.objects.exists()


def test_a_kam_handing_a_new_group_to_a_colleague_stays_on_its_team(kam_user, other_kam):
    account = services.account_create(actor=kam_user, name="Siemens", kind=Account.Kind.GROUP, owner=other_kam)

    assert Account.objects.get(pk=account.pk).owner == other_kam
    assert AccountTeamMember.objects.filter(account=account, user=kam_user).exists()


def test_admin_writes_everywhere(admin_user, tree):
    services.account_update(actor=admin_user, account=tree["hq"], city="Untertürkheim")
    services.account_move(actor=admin_user, account=tree["vans"], new_parent=tree["hq"])

    assert Account.objects.get(pk=tree["hq"].pk).city == "Untertürkheim"
    assert parent_of(tree["vans"]) == tree["hq"].pk
