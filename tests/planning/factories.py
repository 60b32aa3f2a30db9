import factory

from planning.models import AccountPlan, Activity, Objective, Request
from tests.factories import GroupFactory, UserFactory


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
