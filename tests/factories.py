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
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")


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
