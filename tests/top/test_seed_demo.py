import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.demo import DAIMLER, PORTFOLIO, walk
from accounts.models import Account, AccountTeamMember, Potential, ProductLine, Revenue
from kam.models import User
from stakeholders.models import Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder

PASSWORD = "demo-pass-4711"
MODELS = (User, Account, AccountTeamMember, ProductLine, Revenue, Potential)
PEOPLE_MODELS = (Stakeholder, Position, InfluenceLink, Interaction, Give, Relationship)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS + PEOPLE_MODELS}


@pytest.mark.django_db
def test_seed_demo_twice_yields_the_same_rows():
    seed("--password", PASSWORD)
    first = row_counts()
    seed("--password", PASSWORD)

    assert row_counts() == first
    assert first["Account"] == sum(len(list(walk(group))) for group in (DAIMLER, *PORTFOLIO)) >= 25
    assert first["User"] == 4
    assert first["ProductLine"] == 5


@pytest.mark.django_db
def test_seed_demo_loads_the_articles_example():
    seed("--password", PASSWORD)

    group = Account.objects.get(name="Daimler", parent=None)
    assert (group.kind, group.country.code, group.is_key_account, group.owner.username) == ("group", "DE", True, "kam")
    hq = Account.objects.get(name="Daimler AG", parent=group)
    assert (hq.kind, hq.city) == ("headquarters", "Stuttgart-Untertürkheim")
    fuso = Account.objects.get(name="Mitsubishi Fuso Truck and Bus")
    assert (fuso.country.code, fuso.parent.name) == ("JP", "Daimler Truck")
    iracemapolis = Account.objects.get(name="Mercedes-Benz Iracemápolis")
    assert (iracemapolis.kind, iracemapolis.country.code) == ("branch", "BR")
    assert iracemapolis.parent.name == "Mercedes-Benz do Brasil"
    assert iracemapolis.parent.country.code == "BR"
    assert {a.name for a in Account.objects.filter(kind="brand")} >= {
        "Mercedes-AMG",
        "Mercedes-Maybach",
        "smart",
        "Mercedes-EQ",
    }


@pytest.mark.django_db
def test_seed_demo_nests_a_participation_inside_a_participation():
    seed("--password", PASSWORD)

    holding = Account.objects.get(name="YOUR NOW Holding")
    car2go = Account.objects.get(name="car2go / SHARE NOW")
    mytaxi = Account.objects.get(name="mytaxi / FREE NOW")
    assert (holding.kind, holding.ownership_share) == ("participation", Decimal("50"))
    assert (car2go.kind, car2go.parent, car2go.ownership_share) == ("participation", holding, Decimal("75"))
    assert (mytaxi.kind, mytaxi.parent, mytaxi.ownership_share) == ("participation", holding, Decimal("60"))


@pytest.mark.django_db
def test_seed_demo_has_figures_for_this_and_last_year_and_whitespace():
    seed("--password", PASSWORD)
    year = timezone.localdate().year

    hq = Account.objects.get(name="Daimler AG")
    iracemapolis = Account.objects.get(name="Mercedes-Benz Iracemápolis")
    for y in (year, year - 1):
        assert Revenue.objects.filter(account=hq, year=y).exists()
        assert Potential.objects.filter(account=hq, year=y).exists()
    hq_revenue = sum(r.amount for r in Revenue.objects.filter(account=hq, year=year))
    small_revenue = sum(r.amount for r in Revenue.objects.filter(account=iracemapolis, year=year))
    assert hq_revenue > 10 * small_revenue > 0
    eq = Account.objects.get(name="Mercedes-EQ")
    assert Potential.objects.filter(account=eq, year=year).exists()
    assert not Revenue.objects.filter(account=eq).exists()


@pytest.mark.django_db
def test_seed_demo_creates_users_with_roles_and_team(client):
    seed("--password", PASSWORD)

    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {"kam": "kam", "leader": "leadership", "regional": "regional", "admin": "admin"}
    assert User.objects.get(username="regional").country.code == "BR"
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    team = set(AccountTeamMember.objects.values_list("account__name", "user__username", "role"))
    assert team == {
        ("Daimler", "kam", "global_kam"),
        ("Daimler", "leader", "executive_sponsor"),
        ("Mercedes-Benz do Brasil", "regional", "local_account_manager"),
    }
    for username in roles:
        assert client.login(username=username, password=PASSWORD), username
        client.logout()


@pytest.mark.django_db
def test_seed_demo_without_password_prints_one_that_logs_in(client):
    output = seed()

    match = re.search(r"Log in at http://127\.0\.0\.1:8000/ as .* with password: (\S+)", output)
    assert match, output
    assert client.login(username="kam", password=match.group(1))
    assert not client.login(username="kam", password=PASSWORD)


@pytest.mark.django_db
def test_seed_demo_brings_the_articles_cast_with_a_year_of_contacts():
    seed("--password", PASSWORD)

    ceo = Stakeholder.objects.get(last_name="Kranz")
    assert (ceo.job_title, ceo.buying_role, ceo.influence) == ("Chief Executive Officer", "influencer", 5)
    deciders = Stakeholder.objects.filter(buying_role="decision_maker").values_list("last_name", flat=True)
    assert {"Vogel", "Lang"} <= set(deciders), "the people who really decide sit below the CEO"
    rising = Stakeholder.objects.get(rising=True)
    assert (rising.account.kind, rising.positions.count()) == ("brand", 2), "a rising head of a brand, promoted"
    brazil = Stakeholder.objects.get(last_name="Ribeiro")
    assert (brazil.account.country.code, brazil.buying_role, brazil.relationship_owner.username) == (
        "BR",
        "economic_buyer",
        "regional",
    )
    oldest = Interaction.objects.order_by("occurred_at").first().occurred_at
    assert (timezone.now() - oldest).days >= 330
    assert Give.objects.filter(direction="given").count() > Give.objects.filter(direction="received").count() > 0
    statuses = set(Relationship.objects.values_list("status", flat=True))
    assert statuses == {"warm", "cooling", "cold"}, "the demo shows every relationship state"
