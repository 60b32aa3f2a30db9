from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Account, AccountTeamMember, Potential, ProductLine, Revenue
from kam.models import User
from planning.models import AccountPlan, Activity, Objective, Request
from stakeholders.models import Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder


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


def figures(account: Account, line: ProductLine, *, year: int, revenue=None, potential=None) -> None:
    """The revenue and potential of one cell (account × product line × year); None writes none."""
    if revenue is not None:
        RevenueFactory(account=account, product_line=line, year=year, amount=Decimal(revenue))
    if potential is not None:
        PotentialFactory(account=account, product_line=line, year=year, amount=Decimal(potential))


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


class StakeholderFactory(factory.django.DjangoModelFactory):
    """A person with a current position, as stakeholders.services would create them."""

    class Meta:
        model = Stakeholder
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n:04d}")
    job_title = "Head of Purchasing"
    buying_role = Stakeholder.BuyingRole.DECISION_MAKER
    influence = 3
    attitude = Stakeholder.Attitude.NEUTRAL
    cadence_days = 30

    @factory.post_generation
    def position(self, create: bool, extracted, **kwargs) -> None:
        if create:
            Position.objects.create(
                stakeholder=self, account=self.account, job_title=self.job_title, started_on=timezone.localdate()
            )


class InfluenceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InfluenceLink

    source = factory.SubFactory(StakeholderFactory)
    target = factory.SubFactory(StakeholderFactory)
    kind = InfluenceLink.Kind.INFLUENCES
    strength = 2


class InteractionFactory(factory.django.DjangoModelFactory):
    """Pass `stakeholders=[...]` and `colleagues=[...]`; use services.interaction_log where the
    relationships must follow."""

    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    account = factory.SubFactory(AccountFactory)
    kind = Interaction.Kind.MEETING
    occurred_at = factory.LazyFunction(timezone.now)
    summary = "Talked about next year's plant automation."
    sentiment = Interaction.Sentiment.NEUTRAL

    @factory.post_generation
    def stakeholders(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.stakeholders.set(extracted)

    @factory.post_generation
    def colleagues(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.colleagues.set(extracted)


class GiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Give

    stakeholder = factory.SubFactory(StakeholderFactory)
    user = factory.SubFactory(UserFactory)
    direction = Give.Direction.GIVEN
    kind = Give.Kind.INFORMATION
    occurred_at = factory.LazyFunction(timezone.now)
    description = "Sent the benchmark study on paint-shop energy use."


def bulk_people(accounts: list[Account], *, count: int, with_reports: bool = True) -> list[Stakeholder]:
    """`count` people spread over `accounts` in one insert each for people and positions;
    with `with_reports`, everyone but the first on each account reports to that first one."""
    people = Stakeholder.objects.bulk_create(
        [
            Stakeholder(
                account=accounts[n % len(accounts)],
                first_name=f"Bulk{n}",
                last_name=f"Person{n:05d}",
                job_title="Manager",
                buying_role=Stakeholder.BuyingRole.values[n % len(Stakeholder.BuyingRole.values)],
                influence=n % 5 + 1,
                attitude=Stakeholder.Attitude.values[n % len(Stakeholder.Attitude.values)],
                rising=n % 11 == 0,
                cadence_days=30,
            )
            for n in range(count)
        ]
    )
    Position.objects.bulk_create(
        [
            Position(stakeholder=p, account_id=p.account_id, job_title=p.job_title, started_on=timezone.localdate())
            for p in people
        ]
    )
    if with_reports:
        heads: dict[int, Stakeholder] = {}
        for person in people:
            head = heads.setdefault(person.account_id, person)
            if head is not person:
                person.reports_to = head
        Stakeholder.objects.bulk_update(people, ["reports_to"])
    return people


def key_person(owner, *, account=None, days_since_contact: float | None, cadence: int = 30, **fields) -> Stakeholder:
    """A decision-maker owned by `owner`, whose last contact with them (a meeting) lies
    `days_since_contact` days back (None: never); the relationship was set up a year ago."""
    account = account or GroupFactory(owner=owner)
    person = StakeholderFactory(account=account, relationship_owner=owner, cadence_days=cadence, **fields)
    Relationship.objects.create(user=owner, stakeholder=person)
    Relationship.objects.filter(stakeholder=person).update(created_at=timezone.now() - timedelta(days=365))
    if days_since_contact is not None:
        InteractionFactory(
            account=account,
            stakeholders=[person],
            colleagues=[owner],
            kind=Interaction.Kind.MEETING,
            occurred_at=timezone.now() - timedelta(days=days_since_contact),
        )
    return person


# --- planning -------------------------------------------------------------------------------


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountPlan

    account = factory.SubFactory(GroupFactory)
    year = 2026
    title = factory.Sequence(lambda n: f"Plan {n}")
    summary = "Grow automation across the group."


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")
    metric = Objective.Metric.MANUAL
    target_value = 100


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity as the services would leave it; pass `status` and `assignee` together."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    account = factory.LazyAttribute(lambda a: a.plan.account)
    title = factory.Sequence(lambda n: f"Activity {n}")
    impact = 3
    urgency = 3
    effort_hours = 8

    @factory.post_generation
    def stakeholders(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.stakeholders.set(extracted)


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Request

    account = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Request {n}")
    source = Request.Source.CUSTOMER
    requested_by = "Plant IT"
    logged_by = factory.SubFactory(UserFactory)
