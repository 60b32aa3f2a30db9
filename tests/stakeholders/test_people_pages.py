"""The people pages through the test client: the list, a stakeholder's page, the forms that
create, edit, move and delete a person, gives and influence links; who may see and change
what; and that the number of queries does not grow with the data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from planning.models import Activity
from stakeholders import decay, services
from stakeholders.models import Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder
from tests.factories import (
    AccountFactory,
    ActivityFactory,
    GiveFactory,
    GroupFactory,
    InfluenceLinkFactory,
    InteractionFactory,
    PlanFactory,
    StakeholderFactory,
    TeamMemberFactory,
    bulk_people,
    bulk_tree,
)


def url(name: str, *args) -> str:
    return reverse(name, args=args)


@pytest.fixture
def daimler(group):
    """Daimler (kam_user's group) → Daimler HQ, Daimler Trucks → Trucks Brazil."""
    hq = AccountFactory(name="Daimler HQ", kind=Account.Kind.HEADQUARTERS, parent=group)
    trucks = AccountFactory(name="Daimler Trucks", parent=group)
    brazil = AccountFactory(name="Trucks Brazil", kind=Account.Kind.BRANCH, parent=trucks, country="BR")
    return {"group": group, "hq": hq, "trucks": trucks, "brazil": brazil}


@pytest.fixture
def people(daimler):
    """Anna (HQ, decision-maker, champion, influence 5) ← Ben (Trucks, reports to her) ← Carla
    (Brazil, rising user, reports to Ben)."""
    anna = StakeholderFactory(
        account=daimler["hq"],
        first_name="Anna",
        last_name="Albrecht",
        job_title="Chief Procurement Officer",
        email="anna.albrecht@daimler.example",
        buying_role=Stakeholder.BuyingRole.DECISION_MAKER,
        influence=5,
        attitude=Stakeholder.Attitude.CHAMPION,
    )
    ben = StakeholderFactory(
        account=daimler["trucks"],
        first_name="Ben",
        last_name="Brandt",
        job_title="Head of Fleet",
        reports_to=anna,
        buying_role=Stakeholder.BuyingRole.TECHNICAL_BUYER,
        influence=3,
        attitude=Stakeholder.Attitude.SKEPTIC,
    )
    carla = StakeholderFactory(
        account=daimler["brazil"],
        first_name="Carla",
        last_name="Costa",
        job_title="Plant Engineer",
        reports_to=ben,
        buying_role=Stakeholder.BuyingRole.USER,
        influence=2,
        attitude=Stakeholder.Attitude.NEUTRAL,
        rising=True,
        cadence_days=90,
    )
    return {"anna": anna, "ben": ben, "carla": carla}


@pytest.fixture
def bosch_person(other_kam):
    bosch = GroupFactory(name="Bosch", owner=other_kam)
    return StakeholderFactory(account=bosch, first_name="Dora", last_name="Dietz", job_title="Buyer")


def listed(answer) -> list[str]:
    assert answer.status_code == 200, answer.status_code
    return [person.full_name for person in answer.context["page"].object_list]


# --- the list ------------------------------------------------------------------------------


def test_list_shows_only_visible_people_with_their_columns(client_for, kam_user, people, bosch_person):
    answer = client_for(kam_user).get(url("stakeholders:list"))

    assert listed(answer) == ["Anna Albrecht", "Ben Brandt", "Carla Costa"]
    page = answer.content.decode()
    assert "Chief Procurement Officer" in page and "Daimler HQ" in page
    assert "●●●●●" in page  # Anna's influence 5
    assert "attitude-champion" in page and "attitude-skeptic" in page
    assert "rising-flag" in page  # Carla
    assert "Dora" not in page


def test_list_search_finds_name_title_and_email(client_for, kam_user, people):
    client = client_for(kam_user)

    assert listed(client.get(url("stakeholders:list"), {"q": "brandt"})) == ["Ben Brandt"]
    assert listed(client.get(url("stakeholders:list"), {"q": "plant eng"})) == ["Carla Costa"]
    assert listed(client.get(url("stakeholders:list"), {"q": "anna.albrecht@"})) == ["Anna Albrecht"]
    assert listed(client.get(url("stakeholders:list"), {"q": "nobody"})) == []


def test_list_search_as_you_type_answers_with_the_results_only(client_for, kam_user, people):
    answer = client_for(kam_user).get(url("stakeholders:list"), {"q": "costa"}, HTTP_HX_REQUEST="true")

    page = answer.content.decode()
    assert answer.templates[0].name == "stakeholders/partials/people_results.html"
    assert "Carla Costa" in page and "Anna Albrecht" not in page
    assert "<html" not in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"buying_role": "decision_maker"}, ["Anna Albrecht"]),
        ({"attitude": "skeptic"}, ["Ben Brandt"]),
        ({"min_influence": "3"}, ["Anna Albrecht", "Ben Brandt"]),
        ({"rising": "on"}, ["Carla Costa"]),
        ({"key_only": "on"}, ["Anna Albrecht"]),  # decision-maker, influence 5
        ({"attitude": "neutral", "rising": "on"}, ["Carla Costa"]),
    ],
)
def test_list_filters(client_for, kam_user, people, params, expected):
    assert listed(client_for(kam_user).get(url("stakeholders:list"), params)) == expected


def test_list_node_filter_includes_the_subtree(client_for, kam_user, daimler, people):
    client = client_for(kam_user)

    assert listed(client.get(url("stakeholders:list"), {"account": daimler["trucks"].pk})) == [
        "Ben Brandt",
        "Carla Costa",
    ]
    assert listed(client.get(url("stakeholders:list"), {"account": daimler["brazil"].pk})) == ["Carla Costa"]
    answer = client.get(url("stakeholders:list"), {"account": daimler["trucks"].pk})
    assert f'href="{url("stakeholders:create")}?account={daimler["trucks"].pk}"' in answer.content.decode()


def test_list_node_filter_offers_visible_accounts_only(client_for, kam_user, daimler, people, bosch_person):
    answer = client_for(kam_user).get(url("stakeholders:list"))

    offered = dict(answer.context["form"].fields["account"].widget.choices)
    assert daimler["group"].pk in offered
    assert bosch_person.account_id not in offered
    # a hidden account typed into the address is ignored, it does not reveal anyone
    hidden = client_for(kam_user).get(url("stakeholders:list"), {"account": bosch_person.account_id})
    assert listed(hidden) == ["Anna Albrecht", "Ben Brandt", "Carla Costa"]


def test_list_relationship_status_filter_uses_the_best_relationship(client_for, kam_user, other_kam, people):
    anna, ben = people["anna"], people["ben"]
    Relationship.objects.create(user=kam_user, stakeholder=anna, strength=60, status=Relationship.Status.WARM)
    Relationship.objects.create(user=other_kam, stakeholder=anna, strength=5, status=Relationship.Status.COLD)
    Relationship.objects.create(user=kam_user, stakeholder=ben, strength=8, status=Relationship.Status.COLD)
    client = client_for(kam_user)

    def with_status(status):
        return listed(client.get(url("stakeholders:list"), {"status": status}))

    assert with_status("warm") == ["Anna Albrecht"]
    assert with_status("cooling") == []
    assert with_status("cold") == ["Ben Brandt"]  # Anna is cold with one colleague but warm with another
    assert with_status("none") == ["Carla Costa"]
    best = {p.full_name: p.best_strength for p in client.get(url("stakeholders:list")).context["page"].object_list}
    assert best == {"Anna Albrecht": 60, "Ben Brandt": 8, "Carla Costa": None}


def test_list_paginates_by_25_and_keeps_the_filters(client_for, kam_user, daimler):
    bulk_people([daimler["hq"]], count=60, with_reports=False)
    client = client_for(kam_user)

    first = client.get(url("stakeholders:list"), {"q": "person"})
    third = client.get(url("stakeholders:list"), {"q": "person", "page": 3})

    assert len(listed(first)) == 25 and first.context["page"].paginator.count == 60
    assert listed(third) == [f"Bulk{n} Person{n:05d}" for n in range(50, 60)]
    assert "q=person&amp;page=2" in first.content.decode()


def test_new_person_button_only_for_users_who_can_edit(client_for, kam_user, leader, people):
    create = f'href="{url("stakeholders:create")}'
    assert create in client_for(kam_user).get(url("stakeholders:list")).content.decode()
    assert create not in client_for(leader).get(url("stakeholders:list")).content.decode()


# --- create and edit -------------------------------------------------------------------------


def person_data(account, **overrides) -> dict:
    data = {
        "first_name": "Eva",
        "last_name": "Engel",
        "job_title": "Head of Logistics",
        "account": account.pk,
        "buying_role": "economic_buyer",
        "influence": "4",
        "attitude": "supporter",
        "reports_to": "",
        "relationship_owner": "",
        "cadence_days": "",
        "email": "eva.engel@daimler.example",
        "phone": "+49 711 1234",
    }
    return data | overrides


def test_create_person_with_the_roles_default_cadence(client_for, kam_user, daimler, people):
    answer = client_for(kam_user).post(
        url("stakeholders:create"),
        person_data(daimler["trucks"], reports_to=people["ben"].pk, relationship_owner=kam_user.pk),
    )

    eva = Stakeholder.objects.get(last_name="Engel")
    assert answer.status_code == 302 and answer["Location"] == url("stakeholders:detail", eva.pk)
    assert eva.account == daimler["trucks"] and eva.reports_to == people["ben"] and eva.influence == 4
    assert eva.cadence_days == Stakeholder.DEFAULT_CADENCE_DAYS[Stakeholder.BuyingRole.ECONOMIC_BUYER] == 30
    position = eva.positions.get()
    assert (position.account, position.job_title, position.ended_on) == (daimler["trucks"], "Head of Logistics", None)
    assert Relationship.objects.filter(user=kam_user, stakeholder=eva).exists()


def test_create_form_preselects_the_account_and_offers_its_groups_people(client_for, kam_user, daimler, people):
    answer = client_for(kam_user).get(url("stakeholders:create"), {"account": daimler["brazil"].pk})

    form = answer.context["form"]
    assert answer.status_code == 200
    assert form["account"].value() == daimler["brazil"].pk
    managers = [pk for pk, _label in form.fields["reports_to"].widget.choices if pk]
    assert sorted(managers) == sorted(p.pk for p in people.values())
    assert "autofocus" in str(form["first_name"])
    assert "default for the role" in str(form.fields["cadence_days"].help_text)


def test_create_offers_only_accounts_the_user_may_change(client_for, kam_user, daimler, bosch_person):
    answer = client_for(kam_user).post(url("stakeholders:create"), person_data(bosch_person.account))

    assert answer.status_code == 200
    assert "account" in answer.context["form"].errors
    assert not Stakeholder.objects.filter(last_name="Engel").exists()


def test_create_refuses_a_manager_of_another_group(client_for, admin_user, daimler, bosch_person):
    answer = client_for(admin_user).post(
        url("stakeholders:create"), person_data(daimler["hq"], reports_to=bosch_person.pk)
    )

    assert answer.status_code == 200
    assert "another customer group" in str(answer.context["form"].errors["reports_to"])
    assert not Stakeholder.objects.filter(last_name="Engel").exists()


def test_reporting_cycle_is_refused_on_the_form_and_nothing_is_written(client_for, kam_user, people):
    anna, carla = people["anna"], people["carla"]
    data = person_data(anna.account, first_name="Anna", last_name="Albrecht", reports_to=carla.pk)
    del data["account"]

    answer = client_for(kam_user).post(url("stakeholders:edit", anna.pk), data)

    assert answer.status_code == 200
    errors = answer.context["form"].errors["reports_to"]
    assert "reporting cycle" in str(errors)
    assert "reporting cycle" in answer.content.decode()
    assert "autofocus" in str(answer.context["form"]["reports_to"])  # the cursor waits at the correction
    anna.refresh_from_db()
    assert anna.reports_to is None and anna.last_name == "Albrecht" and anna.job_title == "Chief Procurement Officer"


def test_edit_saves_the_fields_and_corrects_the_current_title(client_for, kam_user, people):
    ben = people["ben"]
    data = person_data(ben.account, first_name="Ben", last_name="Brandt", job_title="Head of Fleet Management")
    data |= {"reports_to": people["anna"].pk, "cadence_days": "14", "attitude": "supporter", "rising": "on"}
    del data["account"]

    answer = client_for(kam_user).post(url("stakeholders:edit", ben.pk), data)

    assert answer.status_code == 302
    ben.refresh_from_db()
    assert (ben.job_title, ben.cadence_days, ben.attitude, ben.rising) == (
        "Head of Fleet Management",
        14,
        "supporter",
        True,
    )
    assert ben.positions.get().job_title == "Head of Fleet Management"


def test_team_member_edits_a_person_whose_manager_they_cannot_see(client_for, team_kam, daimler, people):
    TeamMemberFactory(account=daimler["trucks"], user=team_kam)
    ben = people["ben"]  # reports to Anna at the HQ, outside the team member's subtree
    client = client_for(team_kam)

    form = client.get(url("stakeholders:edit", ben.pk)).context["form"]
    assert "reports_to" not in form.fields  # a select without Anna could only drop her
    data = person_data(ben.account, first_name="Ben", last_name="Brandt", job_title="Head of Fleet", phone="+49 1")
    del data["account"], data["reports_to"]

    answer = client.post(url("stakeholders:edit", ben.pk), data)

    assert answer.status_code == 302
    ben.refresh_from_db()
    assert ben.phone == "+49 1" and ben.reports_to == people["anna"]


def test_edit_form_has_no_account_field(client_for, kam_user, people):
    answer = client_for(kam_user).get(url("stakeholders:edit", people["ben"].pk))

    assert answer.status_code == 200
    assert "account" not in answer.context["form"].fields
    assert answer.context["form"]["reports_to"].value() == people["anna"].pk


def test_people_options_filter_by_name_within_the_group_only(client_for, kam_user, daimler, people, bosch_person):
    answer = client_for(kam_user).get(
        url("stakeholders:options"), {"options": "people", "account": daimler["brazil"].pk, "who": "bra"}
    )

    page = answer.content.decode()
    assert "Ben Brandt" in page and "Anna" not in page
    everyone = client_for(kam_user).get(url("stakeholders:options"), {"options": "people", "account": daimler["hq"].pk})
    assert "Carla Costa" in everyone.content.decode() and "Dora" not in everyone.content.decode()
    hidden = client_for(kam_user).get(
        url("stakeholders:options"), {"options": "people", "account": bosch_person.account_id}
    )
    assert "Dora" not in hidden.content.decode()


def test_people_options_leave_out_archived_branches_of_the_group(client_for, kam_user, daimler, people):
    closed = AccountFactory(name="Closed plant", parent=daimler["trucks"], archived_at=timezone.now())
    StakeholderFactory(account=closed, first_name="Gert", last_name="Gone")

    answer = client_for(kam_user).get(
        url("stakeholders:options"), {"options": "people", "account": daimler["brazil"].pk}
    )

    assert [pk for pk, _label in answer.context["options"]] == [people[name].pk for name in ("anna", "ben", "carla")]


# --- move and delete ---------------------------------------------------------------------------


def test_job_change_keeps_history_relationships_and_contacts(client_for, kam_user, daimler, people):
    carla = people["carla"]
    services.interaction_log(
        actor=kam_user,
        account=daimler["brazil"],
        kind=Interaction.Kind.VISIT,
        occurred_at=timezone.now() - timedelta(days=3),
        summary="Plant tour in Iracemápolis.",
        stakeholders=[carla],
    )
    GiveFactory(stakeholder=carla, user=kam_user)
    old_position = carla.positions.get()
    today = timezone.localdate()

    answer = client_for(kam_user).post(
        url("stakeholders:move", carla.pk),
        {
            "job_title": "Head of Plant Engineering",
            "account": daimler["hq"].pk,
            "started_on": today.isoformat(),
            "reports_to": people["anna"].pk,
        },
    )

    assert answer.status_code == 302
    moved = Stakeholder.objects.get(pk=carla.pk)  # the same row
    assert (moved.account, moved.job_title, moved.reports_to) == (
        daimler["hq"],
        "Head of Plant Engineering",
        people["anna"],
    )
    old_position.refresh_from_db()
    assert old_position.ended_on == today
    assert moved.positions.count() == 2
    assert moved.positions.get(ended_on__isnull=True).account == daimler["hq"]
    assert Relationship.objects.filter(stakeholder=moved, user=kam_user).exists()
    assert moved.interactions.count() == 1 and moved.gives.count() == 1
    page = client_for(kam_user).get(url("stakeholders:detail", carla.pk)).content.decode()
    assert "Plant Engineer" in page and "Head of Plant Engineering" in page and "Plant tour" in page


def test_move_into_the_future_is_refused_and_nothing_changes(client_for, kam_user, daimler, people):
    carla = people["carla"]
    tomorrow = timezone.localdate() + timedelta(days=1)

    answer = client_for(kam_user).post(
        url("stakeholders:move", carla.pk),
        {"job_title": "Boss", "account": daimler["hq"].pk, "started_on": tomorrow.isoformat()},
    )

    assert answer.status_code == 200
    assert "future" in str(answer.context["form"].errors["started_on"])
    carla.refresh_from_db()
    assert carla.account == daimler["brazil"] and carla.positions.count() == 1


def test_move_form_defaults_to_today_and_the_current_account(client_for, kam_user, people):
    form = client_for(kam_user).get(url("stakeholders:move", people["ben"].pk)).context["form"]

    assert form["started_on"].value() == timezone.localdate()
    assert form["account"].value() == people["ben"].account_id
    assert "autofocus" in str(form["job_title"])


def test_delete_asks_first_then_deletes(client_for, kam_user, daimler, people):
    carla = people["carla"]
    client = client_for(kam_user)

    confirm = client.get(url("stakeholders:delete", carla.pk))
    assert confirm.status_code == 200 and Stakeholder.objects.filter(pk=carla.pk).exists()

    answer = client.post(url("stakeholders:delete", carla.pk))

    assert answer.status_code == 302 and answer["Location"] == daimler["brazil"].get_absolute_url()
    assert not Stakeholder.objects.filter(pk=carla.pk).exists()
    assert not Position.objects.filter(stakeholder_id=carla.pk).exists()


# --- the stakeholder page ----------------------------------------------------------------------


def test_stakeholder_page_shows_the_person_lines_links_and_positions(client_for, kam_user, daimler, people):
    anna, ben, carla = people["anna"], people["ben"], people["carla"]
    InfluenceLinkFactory(source=anna, target=carla, kind=InfluenceLink.Kind.INFLUENCES)
    InfluenceLinkFactory(source=carla, target=ben, kind=InfluenceLink.Kind.RIVAL)

    answer = client_for(kam_user).get(url("stakeholders:detail", ben.pk))

    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Ben Brandt" in page and "Head of Fleet" in page
    assert [a.name for a in answer.context["breadcrumbs"]] == ["Daimler", "Daimler Trucks"]
    assert answer.context["manager"] == anna and answer.context["reports"] == [carla]
    assert [(link.source, link.target) for link in answer.context["incoming"]] == [(carla, ben)]
    assert answer.context["outgoing"] == []
    assert "rival of" in page
    assert [p.job_title for p in answer.context["positions"]] == ["Head of Fleet"]
    assert url("stakeholders:edit", ben.pk) in page and url("stakeholders:move", ben.pk) in page
    assert 'id="quick-log-slot"' in page


def test_stakeholder_page_explains_each_relationship(client_for, kam_user, other_kam, daimler, people):
    ben = people["ben"]  # cadence 30
    services.interaction_log(
        actor=kam_user,
        account=daimler["trucks"],
        kind=Interaction.Kind.MEETING,
        occurred_at=timezone.now() - timedelta(days=40),
        summary="Fleet review.",
        stakeholders=[ben],
    )

    answer = client_for(kam_user).get(url("stakeholders:detail", ben.pk))

    [explained] = answer.context["relationships"]
    assert explained.relationship.user == kam_user
    assert (explained.why.status, explained.why.days_since_contact, explained.why.overdue_days) == ("cooling", 40, 10)
    page = answer.content.decode()
    assert "Last contact 40 days ago" in page and "10 days overdue" in page
    assert "Meeting (Neutral)" in page  # the contribution
    assert "halve every 60 days" in page


def test_care_box_offers_pay_forward_ideas_that_prefill_the_give_form(client_for, kam_user, people):
    ben = people["ben"]  # no warm relationship: needs care
    client = client_for(kam_user)

    page = client.get(url("stakeholders:detail", ben.pk)).content.decode()
    assert "Needs care: pay forward" in page
    assert f"{url('stakeholders:give_add', ben.pk)}?kind=expert_access" in page

    idea = client.get(url("stakeholders:give_add", ben.pk), {"kind": "expert_access"}, HTTP_HX_REQUEST="true")

    assert idea.status_code == 200
    assert idea.context["give_form"]["kind"].value() == "expert_access"
    assert "<html" not in idea.content.decode()


def test_give_added_with_htmx_returns_the_section_and_the_ledger_changes(client_for, kam_user, people):
    ben = people["ben"]
    GiveFactory(stakeholder=ben, user=kam_user, direction=Give.Direction.RECEIVED)
    client = client_for(kam_user)
    before = client.get(url("stakeholders:detail", ben.pk)).context["ledger"]
    assert (before.given, before.received) == (0, 1)

    answer = client.post(
        url("stakeholders:give_add", ben.pk),
        {
            "kind": "introduction",
            "direction": "given",
            "description": "Introduced him to our e-truck specialist.",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
        HTTP_HX_REQUEST="true",
    )

    page = answer.content.decode()
    assert answer.status_code == 200
    assert "<html" not in page and 'id="gives"' in page
    assert 'hx-swap-oob="true"' in page  # the relationships re-render with the new strength
    assert (answer.context["ledger"].given, answer.context["ledger"].received) == (1, 1)
    give = ben.gives.get(direction=Give.Direction.GIVEN)
    assert (give.kind, give.user, give.description) == (
        "introduction",
        kam_user,
        "Introduced him to our e-truck specialist.",
    )
    assert Relationship.objects.get(user=kam_user, stakeholder=ben).strength > 0


def test_give_in_the_future_is_refused_in_the_section(client_for, kam_user, people):
    ben = people["ben"]
    later = timezone.localtime() + timedelta(days=2)

    answer = client_for(kam_user).post(
        url("stakeholders:give_add", ben.pk),
        {
            "kind": "information",
            "direction": "given",
            "description": "Study",
            "occurred_at": later.strftime("%Y-%m-%dT%H:%M"),
        },
        HTTP_HX_REQUEST="true",
    )

    assert answer.status_code == 200
    assert "future" in str(answer.context["give_form"].errors["occurred_at"])
    assert not ben.gives.exists()


def test_give_can_be_deleted_with_htmx(client_for, kam_user, people):
    give = GiveFactory(stakeholder=people["ben"], user=kam_user)

    answer = client_for(kam_user).post(url("stakeholders:give_delete", give.pk), HTTP_HX_REQUEST="true")

    assert answer.status_code == 200 and answer.context["ledger"].given == 0
    assert not Give.objects.filter(pk=give.pk).exists()


def test_influence_link_added_and_deleted(client_for, kam_user, people):
    anna, ben = people["anna"], people["ben"]
    client = client_for(kam_user)

    added = client.post(
        url("stakeholders:link_add", ben.pk),
        {"direction": "in", "kind": "influences", "other": anna.pk, "strength": "3"},
        HTTP_HX_REQUEST="true",
    )

    link = InfluenceLink.objects.get()
    assert added.status_code == 200 and 'id="links"' in added.content.decode()
    assert (link.source, link.target, link.kind, link.strength) == (anna, ben, "influences", 3)

    again = client.post(
        url("stakeholders:link_add", ben.pk),
        {"direction": "in", "kind": "influences", "other": anna.pk, "strength": "3"},
    )
    assert again.status_code == 200 and "already exists" in again.content.decode()
    assert InfluenceLink.objects.count() == 1

    deleted = client.post(url("stakeholders:link_delete", link.pk), {"person": ben.pk})
    assert deleted.status_code == 302 and not InfluenceLink.objects.exists()


def test_a_colleague_reads_what_their_task_shows_and_the_reasons_count_every_contact(
    client_for, kam_user, regional, daimler, people
):
    """A regional colleague with a task on Ben's node: the timeline lists the contacts there
    only, his earlier position elsewhere names no account; his relationships' strength counts
    every contact, as the decay job does."""
    ben = people["ben"]
    ActivityFactory(
        plan=PlanFactory(account=daimler["group"]),
        account=daimler["trucks"],
        assignee=regional,
        status=Activity.Status.ASSIGNED,
    )
    Position.objects.create(
        stakeholder=ben,
        account=daimler["hq"],
        job_title="Fleet Buyer",
        started_on=timezone.localdate() - timedelta(days=800),
        ended_on=timezone.localdate() - timedelta(days=400),
    )
    for account, days, summary in ((daimler["trucks"], 5, "Fleet review"), (daimler["hq"], 20, "Board dinner")):
        InteractionFactory(
            account=account,
            occurred_at=timezone.now() - timedelta(days=days),
            summary=summary,
            stakeholders=[ben],
            colleagues=[kam_user],
        )
    GiveFactory(stakeholder=ben, user=kam_user, occurred_at=timezone.now() - timedelta(days=10))
    Relationship.objects.create(user=kam_user, stakeholder=ben)

    answer = client_for(regional).get(url("stakeholders:detail", ben.pk))

    page = answer.content.decode()
    assert [i.summary for i in answer.context["timeline_page"]] == ["Fleet review"]
    assert "Board dinner" not in page
    assert [a.name for a in answer.context["breadcrumbs"]] == ["Daimler Trucks"]
    assert answer.context["manager"] is None and "someone outside what you can see" in page
    assert [p.job_title for p in answer.context["positions"]] == ["Head of Fleet", "Fleet Buyer"]
    assert "another node" in page and url("accounts:detail", daimler["hq"].pk) not in page
    [explained] = answer.context["relationships"]
    why = decay.explain(stakeholder=ben)[kam_user.pk]
    assert len(explained.why.contributions) == 3
    assert [(c.occurred_at, c.label) for c in explained.why.contributions] == [
        (c.occurred_at, c.label) for c in why.contributions
    ]
    assert (explained.why.strength, explained.why.status) == (why.strength, why.status)


def test_timeline_lists_the_persons_contacts_newest_first_and_paginates(client_for, kam_user, daimler, people):
    ben = people["ben"]
    now = timezone.now()
    for day in range(25):
        InteractionFactory(
            account=daimler["trucks"],
            occurred_at=now - timedelta(days=day),
            summary=f"Call {day}",
            stakeholders=[ben],
            colleagues=[kam_user],
        )
    InteractionFactory(account=daimler["trucks"], summary="Without Ben", stakeholders=[people["anna"]])
    client = client_for(kam_user)

    first = client.get(url("stakeholders:detail", ben.pk))
    second = client.get(url("stakeholders:detail", ben.pk), {"page": 2})

    assert [i.summary for i in first.context["timeline_page"]][:2] == ["Call 0", "Call 1"]
    assert first.context["timeline_page"].paginator.count == 25
    assert [i.summary for i in second.context["timeline_page"]] == [f"Call {day}" for day in range(20, 25)]
    assert "Without Ben" not in first.content.decode()


# --- who may see and change what ---------------------------------------------------------------

READ_PAGES = ["stakeholders:detail"]
EDIT_PAGES = ["stakeholders:edit", "stakeholders:move", "stakeholders:delete"]


@pytest.mark.parametrize("role", ["other_kam", "regional"])
def test_people_outside_the_users_scope_answer_404_everywhere(client_for, request, people, role):
    client = client_for(request.getfixturevalue(role))
    ben = people["ben"]
    give = GiveFactory(stakeholder=ben)
    link = InfluenceLinkFactory(source=ben, target=people["anna"])

    for name in READ_PAGES + EDIT_PAGES:
        assert client.get(url(name, ben.pk)).status_code == 404, name
        assert client.post(url(name, ben.pk)).status_code == 404, name
    assert client.post(url("stakeholders:give_add", ben.pk), {"kind": "other", "description": "x"}).status_code == 404
    assert client.post(url("stakeholders:give_delete", give.pk)).status_code == 404
    assert client.post(url("stakeholders:link_add", ben.pk)).status_code == 404
    assert client.post(url("stakeholders:link_delete", link.pk)).status_code == 404
    assert listed(client.get(url("stakeholders:list"))) == []
    assert Stakeholder.objects.filter(pk=ben.pk).exists() and Give.objects.filter(pk=give.pk).exists()


def test_leadership_reads_the_pages_without_edit_buttons_and_gets_403_on_writes(client_for, leader, kam_user, people):
    client = client_for(leader)
    ben = people["ben"]
    give = GiveFactory(stakeholder=ben, user=kam_user)
    link = InfluenceLinkFactory(source=ben, target=people["anna"])

    answer = client.get(url("stakeholders:detail", ben.pk))
    page = answer.content.decode()
    assert answer.status_code == 200 and "Ben Brandt" in page
    for name in EDIT_PAGES:
        assert url(name, ben.pk) not in page
    assert 'id="give-form"' not in page and url("stakeholders:give_delete", give.pk) not in page
    assert url("stakeholders:link_add", ben.pk) not in page and 'id="quick-log-slot"' not in page
    assert listed(client.get(url("stakeholders:list"))) == ["Anna Albrecht", "Ben Brandt", "Carla Costa"]

    for name in EDIT_PAGES:
        assert client.post(url(name, ben.pk), {"job_title": "x"}).status_code == 403, name
    data = {"kind": "other", "direction": "given", "description": "x", "occurred_at": "2024-01-01T10:00"}
    assert client.post(url("stakeholders:give_add", ben.pk), data).status_code == 403
    assert client.post(url("stakeholders:give_delete", give.pk)).status_code == 403
    assert client.post(url("stakeholders:link_add", ben.pk), {"kind": "rival"}).status_code == 403
    assert client.post(url("stakeholders:link_delete", link.pk)).status_code == 403
    assert client.post(url("stakeholders:create"), person_data(ben.account)).status_code == 403
    assert Stakeholder.objects.filter(pk=ben.pk).exists() and not ben.gives.exclude(pk=give.pk).exists()
    assert Give.objects.filter(pk=give.pk).exists() and InfluenceLink.objects.filter(pk=link.pk).exists()


def test_team_member_sees_the_subtree_only_and_not_the_manager_above_it(client_for, team_kam, daimler, people):
    TeamMemberFactory(account=daimler["trucks"], user=team_kam)
    client = client_for(team_kam)

    answer = client.get(url("stakeholders:detail", people["ben"].pk))

    page = answer.content.decode()
    assert answer.status_code == 200
    assert answer.context["manager"] is None and "Anna" not in page
    assert [a.name for a in answer.context["breadcrumbs"]] == ["Daimler Trucks"]
    assert client.get(url("stakeholders:detail", people["anna"].pk)).status_code == 404
    assert listed(client.get(url("stakeholders:list"))) == ["Ben Brandt", "Carla Costa"]


# --- query counts ---------------------------------------------------------------------------------

# Measured: list 6; stakeholder page 15 for a KAM or an admin (session, user, the header's
# alerts and the quick-log's two included), 14 for a regional colleague, 12 for leadership. The
# project's limit is 15 on every page; none for anything that grows with the data (the
# equality between sizes checks that).
QUERY_BOUND = {"stakeholders:list": 10, "stakeholders:detail": 15}


def count_queries(django_assert_max_num_queries, client, name: str, *args, **params) -> int:
    with django_assert_max_num_queries(QUERY_BOUND[name]) as captured:
        answer = client.get(url(name, *args), params)
    assert answer.status_code == 200
    return len(captured)


def grow_group(name: str, owner, *, people: int) -> list[Stakeholder]:
    root = GroupFactory(name=name, owner=owner)
    return bulk_people(bulk_tree(root, size=10), count=people)


def test_list_queries_do_not_grow_with_the_people(django_assert_max_num_queries, client_for, kam_user):
    client = client_for(kam_user)
    grow_group("Small", kam_user, people=10)
    on_small = count_queries(django_assert_max_num_queries, client, "stakeholders:list")

    big = grow_group("Big", kam_user, people=1000)
    on_big = count_queries(django_assert_max_num_queries, client, "stakeholders:list")
    filtered = count_queries(
        django_assert_max_num_queries, client, "stakeholders:list", q="person", account=big[0].account_id, page=2
    )

    assert on_small == on_big
    assert filtered <= on_big + 1  # validating the chosen node


def test_stakeholder_page_queries_do_not_grow_with_the_group(django_assert_max_num_queries, client_for, kam_user):
    client = client_for(kam_user)
    small, big = grow_group("Small", kam_user, people=10), grow_group("Big", kam_user, people=1000)
    for people in (small, big):
        # the head of the first node: many direct reports in the big group, a link and a give
        InfluenceLinkFactory(source=people[0], target=people[1])
        GiveFactory(stakeholder=people[0], user=kam_user)

    on_small = count_queries(django_assert_max_num_queries, client, "stakeholders:detail", small[0].pk)
    on_big = count_queries(django_assert_max_num_queries, client, "stakeholders:detail", big[0].pk)

    assert on_small == on_big
    answer = client.get(url("stakeholders:detail", big[0].pk))
    assert answer.context["more_reports"] and len(answer.context["reports"]) == 20


def test_stakeholder_page_queries_do_not_grow_with_the_contacts(
    django_assert_max_num_queries, client_for, kam_user, other_kam, daimler, people
):
    client = client_for(kam_user)
    few, many = people["carla"], people["ben"]  # both with a manager
    for person, count in ((few, 3), (many, 50)):
        for n in range(count):
            InteractionFactory(
                account=person.account,
                occurred_at=timezone.now() - timedelta(days=n),
                stakeholders=[person, people["anna"]],
                colleagues=[kam_user, other_kam],
            )
            GiveFactory(stakeholder=person, user=kam_user if n % 2 else other_kam)
        for colleague in (kam_user, other_kam):
            Relationship.objects.create(user=colleague, stakeholder=person)
        services.stakeholder_update(actor=kam_user, stakeholder=person, cadence_days=20)  # recomputes

    on_few = count_queries(django_assert_max_num_queries, client, "stakeholders:detail", few.pk)
    on_many = count_queries(django_assert_max_num_queries, client, "stakeholders:detail", many.pk)

    assert on_few == on_many


def contacted(person: Stakeholder, colleagues: list, *, count: int, hidden_on: Account) -> None:
    """`count` contacts and gives with `person`, the second and every third after it on `hidden_on`,
    each give by one of `colleagues` in turn; then the relationships, recomputed."""
    for n in range(count):
        InteractionFactory(
            account=hidden_on if n % 3 == 1 else person.account,
            occurred_at=timezone.now() - timedelta(days=n),
            stakeholders=[person],
            colleagues=colleagues,
        )
        GiveFactory(stakeholder=person, user=colleagues[n % len(colleagues)])
    for colleague in colleagues:
        Relationship.objects.get_or_create(user=colleague, stakeholder=person)
    services.stakeholder_update(actor=colleagues[0], stakeholder=person, cadence_days=20)  # recomputes


@pytest.mark.parametrize("role", ["kam_user", "leader", "regional", "admin_user"])
def test_stakeholder_page_stays_within_the_bound_for_every_role(
    django_assert_max_num_queries, client_for, request, kam_user, other_kam, daimler, people, role
):
    """Who may change the person, who may log contacts and who sees only a task's node each
    read a little differently; none past the bound, with one contact or two pages of them."""
    user = request.getfixturevalue(role)
    if role == "regional":
        ActivityFactory(
            plan=PlanFactory(account=daimler["group"]),
            account=daimler["trucks"],
            assignee=user,
            status=Activity.Status.ASSIGNED,
        )
    ben = people["ben"]  # a manager (Anna, on a node a regional colleague cannot see) and a report
    few = StakeholderFactory(account=daimler["trucks"], reports_to=ben)
    Position.objects.create(
        stakeholder=ben,
        account=daimler["brazil"],
        job_title="Plant Manager",
        started_on=timezone.localdate() - timedelta(days=900),
        ended_on=timezone.localdate() - timedelta(days=400),
    )
    InfluenceLinkFactory(source=people["anna"], target=ben)
    InfluenceLinkFactory(source=ben, target=few, kind=InfluenceLink.Kind.ALLIED)
    contacted(few, [kam_user], count=1, hidden_on=daimler["hq"])
    contacted(ben, [kam_user, other_kam], count=45, hidden_on=daimler["hq"])
    client = client_for(user)

    on_few = count_queries(django_assert_max_num_queries, client, "stakeholders:detail", few.pk)
    on_many = count_queries(django_assert_max_num_queries, client, "stakeholders:detail", ben.pk)
    second_page = count_queries(django_assert_max_num_queries, client, "stakeholders:detail", ben.pk, page=2)

    assert on_few == on_many == second_page
