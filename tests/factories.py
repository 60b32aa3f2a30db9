from decimal import Decimal

import factory

from accounts.models import Account, AccountTeamMember, Potential, ProductLine, Revenue
from kam.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = User.Role.KAM
    password = factory.django.Password("secret-pass-123")


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n}")
    kind = Account.Kind.SUBSIDIARY
    parent = None
    country = "DE"
    city = "Stuttgart"
    is_key_account = False


class GroupFactory(AccountFactory):
    kind = Account.Kind.GROUP
    is_key_account = True


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountTeamMember

    account = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    role = AccountTeamMember.Role.SPECIALIST


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PL{n}")
    name = factory.LazyAttribute(lambda pl: f"Product line {pl.code}")


class RevenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revenue

    account = factory.SubFactory(AccountFactory)
    product_line = factory.SubFactory(ProductLineFactory)
    year = 2026
    amount = Decimal("100.00")


class PotentialFactory(RevenueFactory):
    class Meta:
        model = Potential

    confidence = 50


class ParticipationFactory(AccountFactory):
    kind = Account.Kind.PARTICIPATION
    ownership_share = Decimal("50.00")


def bulk_tree(
    root: Account,
    *,
    size: int,
    fanout: int = 10,
    product_line: ProductLine | None = None,
    year: int = 2026,
) -> list[Account]:
    """Grow `root` into a tree of `size` accounts (root included), `fanout` children per node,
    one bulk insert per level so that a 1,000-node tree takes a few queries, not a thousand.
    Every seventh node is a 50 % participation. With `product_line`, every node gets a revenue
    of 100 and a potential of 150 for `year`."""
    nodes, level = [root], [root]
    while len(nodes) < size and level:
        batch = []
        for parent in level:
            for _ in range(min(fanout, size - len(nodes) - len(batch))):
                number = len(nodes) + len(batch)
                participation = number % 7 == 0
                batch.append(
                    Account(
                        name=f"{root.name} node {number:04d}",
                        kind=Account.Kind.PARTICIPATION if participation else Account.Kind.SUBSIDIARY,
                        ownership_share=Decimal("50.00") if participation else None,
                        parent=parent,
                        country="DE",
                        city="Stuttgart",
                    )
                )
        level = Account.objects.bulk_create(batch)
        nodes.extend(level)
    if product_line is not None:
        cell = {"product_line": product_line, "year": year}
        Revenue.objects.bulk_create([Revenue(account=node, amount=Decimal("100"), **cell) for node in nodes])
        Potential.objects.bulk_create([Potential(account=node, amount=Decimal("150"), **cell) for node in nodes])
    return nodes
