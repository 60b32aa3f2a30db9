"""The People and Timeline sections of the account page through the test client: the org chart,
the power map, coverage with its warnings, the group-wide timeline, who may see them, and that
neither they nor the account page grow in queries with the people and contacts of a group."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import InfluenceLink, Interaction, Relationship, Stakeholder
from tests.factories import (
    AccountFactory,
    GroupFactory,
    InfluenceLinkFactory,
    InteractionFactory,
    StakeholderFactory,
    bulk_people,
    bulk_tree,
)

Role, Attitude = Stakeholder.BuyingRole, Stakeholder.Attitude
HTMX = {"HX-Request": "true"}


@pytest.fixture
def trucks(group):
    return AccountFactory(name="Daimler Trucks", parent=group)


@pytest.fixture
def daimler_people(group, trucks) -> dict[str, Stakeholder]:
    """Daimler's people:

    Ola Källenius (CEO, Daimler, decision-maker, influence 5, champion)
    ├── Martin Daum (CEO Trucks, Daimler Trucks, decision-maker, 4, supporter)
    │   └── Karin Rådström (Daimler Trucks, technical buyer, 3, neutral, rising)
    └── Harald Wilhelm (CFO, Daimler, economic buyer, 4, skeptic)
    """

    def person(first, last, account, **fields):
        return StakeholderFactory(first_name=first, last_name=last, account=account, **fields)

    ola = person("Ola", "Källenius", group, job_title="CEO", influence=5, attitude=Attitude.CHAMPION)
    martin = person(
        "Martin", "Daum", trucks, job_title="CEO Trucks", influence=4, attitude=Attitude.SUPPORTER, reports_to=ola
    )
    harald = person(
        "Harald", "Wilhelm", group, job_title="CFO", buying_role=Role.ECONOMIC_BUYER, influence=4,
        attitude=Attitude.SKEPTIC, reports_to=ola,
    )  # fmt: skip
    karin = person(
        "Karin", "Rådström", trucks, job_title="Head of Engineering", buying_role=Role.TECHNICAL_BUYER,
        influence=3, attitude=Attitude.NEUTRAL, rising=True, reports_to=martin,
    )  # fmt: skip
    return {"ola": ola, "martin": martin, "harald": harald, "karin": karin}


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def warm(user, person, status=Relationship.Status.WARM) -> Relationship:
    return Relationship.objects.create(user=user, stakeholder=person, status=status, strength=70)


def section(client, name: str, account, **params):
    answer = client.get(url(name, account.pk), params, headers=HTMX)
    assert answer.status_code == 200, answer.status_code
    return answer


# --- the account page ---------------------------------------------------------------------


def test_account_page_loads_people_and_timeline_lazily(client_for, kam_user, group):
    page = client_for(kam_user).get(url("accounts:detail", group.pk)).content.decode()

    assert 'id="people"' in page and 'id="quick-log-slot"' in page
    assert f'hx-get="{url("stakeholders:account_people", group.pk)}"' in page
    assert f'hx-get="{url("stakeholders:account_timeline", group.pk)}"' in page
    assert f'href="{url("stakeholders:create")}?account={group.pk}"' in page


def test_leadership_reads_the_account_page_without_a_new_person_link(client_for, leader, group):
    page = client_for(leader).get(url("accounts:detail", group.pk)).content.decode()

    assert f'hx-get="{url("stakeholders:account_people", group.pk)}"' in page
    assert url("stakeholders:create") not in page


# --- org chart ----------------------------------------------------------------------------


def chart(answer) -> list[tuple[str, int]]:
    return [(row.person.full_name, row.depth) for row in answer.context["chart_rows"]]


def test_org_chart_lists_reporting_lines_depth_first(client_for, kam_user, group, daimler_people):
    answer = section(client_for(kam_user), "stakeholders:account_people", group)

    # Siblings: the most influential first, then by name (Daum before Wilhelm, both 4).
    assert chart(answer) == [
        ("Ola Källenius", 0),
        ("Martin Daum", 1),
        ("Karin Rådström", 2),
        ("Harald Wilhelm", 1),
    ]
    page = answer.content.decode()
    assert "Reports to Ola Källenius." in page and "Reports to Martin Daum." in page
    assert "↑ rising" in page
    assert "Daimler Trucks" in page  # the node of people below the account
    assert "<html" not in page


def test_someone_whose_manager_is_outside_the_subtree_starts_a_tree(client_for, kam_user, trucks, daimler_people):
    answer = section(client_for(kam_user), "stakeholders:account_people", trucks)

    assert chart(answer) == [("Martin Daum", 0), ("Karin Rådström", 1)]
    assert "Ola Källenius" not in answer.content.decode()


def test_org_chart_shows_attitude_in_words_influence_and_best_relationship(
    client_for, kam_user, team_kam, group, daimler_people
):
    warm(kam_user, daimler_people["ola"], Relationship.Status.COOLING)
    warm(team_kam, daimler_people["ola"])
    warm(kam_user, daimler_people["harald"], Relationship.Status.COLD)

    answer = section(client_for(kam_user), "stakeholders:account_people", group)

    status = {row.person.last_name: row.status for row in answer.context["chart_rows"]}
    assert status == {"Källenius": "warm", "Daum": "", "Rådström": "", "Wilhelm": "cold"}
    page = answer.content.decode()
    assert "Best relationship: warm" in page and "Best relationship: no relationship" in page
    assert "Champion" in page and "Skeptic" in page and "Technical buyer" in page
    assert "●●●●●" in page and "Influence 5 of 5" in page


def test_influence_links_among_the_people_are_listed_under_the_chart(
    client_for, kam_user, group, trucks, daimler_people
):
    InfluenceLinkFactory(source=daimler_people["harald"], target=daimler_people["ola"], kind=InfluenceLink.Kind.RIVAL)
    InfluenceLinkFactory(source=daimler_people["karin"], target=daimler_people["martin"], kind="allied")
    InfluenceLinkFactory(source=daimler_people["martin"], target=daimler_people["ola"])

    on_group = section(client_for(kam_user), "stakeholders:account_people", group)
    on_trucks = section(client_for(kam_user), "stakeholders:account_people", trucks)

    links = [(link.source.last_name, link.kind, link.target.last_name) for link in on_group.context["links"]]
    assert links == [
        ("Daum", "influences", "Källenius"),
        ("Rådström", "allied", "Daum"),
        ("Wilhelm", "rival", "Källenius"),
    ]
    assert "→ rival of →" in on_group.content.decode()
    # Seen from Trucks, Ola is not among the people: only the link inside the subtree is listed.
    assert [(link.source.last_name, link.target.last_name) for link in on_trucks.context["links"]] == [
        ("Rådström", "Daum")
    ]


def test_a_big_chart_shows_the_first_200_people_and_says_how_many_are_hidden(client_for, kam_user, group):
    bulk_people(bulk_tree(group, size=20), count=250)

    answer = section(client_for(kam_user), "stakeholders:account_people", group)

    assert len(answer.context["chart_rows"]) == 200
    page = answer.content.decode()
    assert "The chart shows the first 200 people; 50 more are not shown." in page
    assert f'href="{url("stakeholders:list")}?account={group.pk}"' in page


def test_a_group_without_people_says_so(client_for, kam_user, group):
    answer = section(client_for(kam_user), "stakeholders:account_people", group)

    assert "No people are recorded on this node or below yet." in answer.content.decode()


def test_without_htmx_the_section_is_a_page_of_its_own(client_for, kam_user, group, daimler_people):
    answer = client_for(kam_user).get(url("stakeholders:account_people", group.pk))

    page = answer.content.decode()
    assert answer.status_code == 200
    assert "<html" in page and "People at Daimler" in page and "Martin Daum" in page
    assert f'href="{group.get_absolute_url()}"' in page


# --- power map ----------------------------------------------------------------------------


def cell_names(answer) -> dict[tuple[int, str], list[str]]:
    return {
        (cell.influence, cell.attitude): [dot.label for dot in cell.dots]
        for row in answer.context["power_map"].rows
        for cell in row
        if cell.dots
    }


def test_power_map_places_people_by_influence_and_attitude(client_for, kam_user, group, daimler_people):
    answer = section(client_for(kam_user), "stakeholders:account_people", group)

    layout = answer.context["power_map"]
    assert cell_names(answer) == {
        (5, "champion"): ["OK"],
        (4, "supporter"): ["MD"],
        (4, "skeptic"): ["HW"],
        (3, "neutral"): ["KR"],
    }
    # Influence from 5 at the top to 1 at the bottom; attitude from opponent (left) to champion.
    assert [row[0].influence for row in layout.rows] == [5, 4, 3, 2, 1]
    assert [value for value, _label, _x in layout.columns] == [
        "opponent",
        "skeptic",
        "neutral",
        "supporter",
        "champion",
    ]
    top_row = layout.rows[0]
    assert top_row[0].x < top_row[4].x and layout.rows[0][0].y < layout.rows[4][0].y
    zones = {(cell.influence, cell.attitude): cell.zone for row in layout.rows for cell in row if cell.zone}
    assert zones[(4, "skeptic")] == "risks" and zones[(5, "champion")] == "allies"
    assert (3, "neutral") not in zones
    page = answer.content.decode()
    assert 'role="img"' in page and "Power map of 4 people" in page
    assert '<td class="num pm-zone-allies" data-influence="5" data-attitude="champion">1</td>' in page
    assert "<title>Harald Wilhelm, CFO · Skeptic · Influence 4 of 5 · Economic buyer</title>" in page


def test_a_crowded_power_map_cell_shows_five_people_and_the_rest_as_a_count(client_for, kam_user, group):
    StakeholderFactory.create_batch(8, account=group, influence=2, attitude=Attitude.NEUTRAL)

    answer = section(client_for(kam_user), "stakeholders:account_people", group)

    labels = cell_names(answer)[(2, "neutral")]
    assert len(labels) == 6 and labels[-1] == "+3"
    assert '<td class="num" data-influence="2" data-attitude="neutral">8</td>' in answer.content.decode()


# --- coverage -----------------------------------------------------------------------------


def test_coverage_lists_decision_makers_without_a_warm_relationship(
    client_for, kam_user, team_kam, group, daimler_people
):
    warm(kam_user, daimler_people["ola"])
    warm(team_kam, daimler_people["harald"], Relationship.Status.COLD)
    daimler_people["martin"].relationship_owner = team_kam
    daimler_people["martin"].save()

    answer = section(client_for(kam_user), "stakeholders:account_people", group)

    assert [p.full_name for p in answer.context["uncovered"]] == ["Martin Daum", "Harald Wilhelm"]
    page = answer.content.decode()
    assert "1 of 3 decision-makers and economic buyers have a warm relationship." in page
    uncovered = page.split('class="data uncovered"')[1].split("</table>")[0]
    assert "Martin Daum" in uncovered and "Harald Wilhelm" in uncovered and "teamkam" in uncovered
    assert "Ola Källenius" not in uncovered and "Karin" not in uncovered  # covered / not a decider
    assert f'href="{daimler_people["martin"].get_absolute_url()}"' in uncovered


def test_single_thread_warning_when_one_colleague_holds_every_warm_relationship(
    client_for, kam_user, group, daimler_people
):
    warm(kam_user, daimler_people["ola"])
    warm(kam_user, daimler_people["martin"])

    page = section(client_for(kam_user), "stakeholders:account_people", group).content.decode()

    assert "Every warm relationship in this group runs through kam: if they leave, the group is uncovered." in page
    assert "Nobody on our side has a warm relationship" not in page


def test_no_single_thread_warning_with_two_colleagues(client_for, kam_user, team_kam, group, daimler_people):
    warm(kam_user, daimler_people["ola"])
    warm(team_kam, daimler_people["martin"])
    warm(team_kam, daimler_people["harald"], Relationship.Status.COLD)

    answer = section(client_for(kam_user), "stakeholders:account_people", group)

    page = answer.content.decode()
    assert "Every warm relationship in this group runs through" not in page
    assert 'id="single-threaded"' not in page and 'id="no-warm-relationship"' not in page
    assert "Warm relationships held by: kam, teamkam" in page


def test_warning_when_nobody_has_a_warm_relationship(client_for, kam_user, group, daimler_people):
    warm(kam_user, daimler_people["ola"], Relationship.Status.COLD)

    page = section(client_for(kam_user), "stakeholders:account_people", group).content.decode()

    assert "Nobody on our side has a warm relationship with anyone in this group." in page
    assert "0 of 3 decision-makers and economic buyers have a warm relationship." in page


# --- timeline -----------------------------------------------------------------------------


def test_timeline_shows_the_subtree_contacts_newest_first_20_at_a_time(
    client_for, kam_user, group, trucks, daimler_people, other_kam
):
    now = timezone.now()
    for hours in range(25):
        node = trucks if hours % 2 else group
        InteractionFactory(
            account=node, occurred_at=now - timedelta(hours=hours), summary=f"Contact {hours:02d}",
            stakeholders=[daimler_people["martin"]], colleagues=[kam_user],
        )  # fmt: skip
    InteractionFactory(account=GroupFactory(name="Bosch", owner=other_kam), summary="Bosch contact")
    client = client_for(kam_user)

    first = section(client, "stakeholders:account_timeline", group)
    more = section(client, "stakeholders:account_timeline", group, page=2)

    assert [i.summary for i in first.context["page"]] == [f"Contact {h:02d}" for h in range(20)]
    page = first.content.decode()
    assert '<ol class="timeline" id="timeline">' in page and "Bosch contact" not in page
    assert f'hx-get="{url("stakeholders:account_timeline", group.pk)}?page=2"' in page
    assert "20 of 25 contacts shown" in page
    rows = more.content.decode()
    assert [i.summary for i in more.context["page"]] == [f"Contact {h:02d}" for h in range(20, 25)]
    assert '<ol class="timeline"' not in rows and "<html" not in rows  # rows to append
    assert rows.count('<li class="interaction') == 5 and 'hx-swap-oob="true"' in rows
    assert "?page=3" not in rows  # the last page: no more "Load more"
    assert "Daimler Trucks" in rows  # the node of each contact


def test_timeline_without_htmx_is_a_paginated_page(client_for, kam_user, group):
    InteractionFactory.create_batch(21, account=group)

    answer = client_for(kam_user).get(url("stakeholders:account_timeline", group.pk), {"page": 2})

    page = answer.content.decode()
    assert answer.status_code == 200 and "<html" in page and "Contacts with Daimler" in page
    assert len(answer.context["page"]) == 1 and "Page 2 of 2" in page


def test_an_empty_timeline_says_so(client_for, kam_user, group):
    page = section(client_for(kam_user), "stakeholders:account_timeline", group).content.decode()

    assert "No contacts logged yet." in page


# --- visibility ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["stakeholders:account_people", "stakeholders:account_timeline"])
@pytest.mark.parametrize("role, status", [("other_kam", 404), ("regional", 404), ("leader", 200), ("kam_user", 200)])
def test_sections_follow_the_account_visibility(request, client_for, group, daimler_people, name, role, status):
    InteractionFactory(account=group, stakeholders=[daimler_people["ola"]], summary="Secret talks")
    client = client_for(request.getfixturevalue(role))

    answer = client.get(url(name, group.pk), headers=HTMX)

    assert answer.status_code == status
    assert ("Ola Källenius" in answer.content.decode()) is (status == 200)


def test_sections_need_a_login(client, group):
    for name in ("stakeholders:account_people", "stakeholders:account_timeline"):
        answer = client.get(url(name, group.pk))
        assert answer.status_code == 302 and answer.url.startswith(reverse("login"))


# --- query counts -------------------------------------------------------------------------

# Measured: people 6, timeline 7. The account page was 13 before these sections; they add none
# (they load lazily), the quick-log form above the timeline adds its colleague list: the bound
# of tests/accounts/test_pages.py.
PEOPLE_BOUND, TIMELINE_BOUND, ACCOUNT_PAGE_BOUND = 8, 8, 15


def populate(root, *, people: int, kam_user, colleague) -> list[Stakeholder]:
    """`people` people over a tree below `root`, with warm and cold relationships, influence
    links and one contact per person."""
    crowd = bulk_people(bulk_tree(root, size=max(people // 10, 2)), count=people)
    Relationship.objects.bulk_create(
        Relationship(user=kam_user if n % 3 else colleague, stakeholder=p, status="warm" if n % 2 else "cold")
        for n, p in enumerate(crowd)
    )
    InfluenceLink.objects.bulk_create(
        InfluenceLink(source=a, target=b, kind="influences") for a, b in zip(crowd, crowd[1:], strict=False)
    )
    bulk_interactions(crowd, colleague=kam_user)
    return crowd


def bulk_interactions(people: list[Stakeholder], *, colleague) -> None:
    now = timezone.now()
    contacts = Interaction.objects.bulk_create(
        Interaction(account_id=p.account_id, occurred_at=now - timedelta(minutes=n), summary=f"Contact {n}")
        for n, p in enumerate(people)
    )
    Interaction.stakeholders.through.objects.bulk_create(
        Interaction.stakeholders.through(interaction_id=i.pk, stakeholder_id=p.pk)
        for i, p in zip(contacts, people, strict=True)
    )
    Interaction.colleagues.through.objects.bulk_create(
        Interaction.colleagues.through(interaction_id=i.pk, user_id=colleague.pk) for i in contacts
    )


@pytest.fixture
def small_and_big(kam_user, team_kam):
    """Two key groups of kam_user: 10 people with 10 contacts, 1,000 people with 1,000."""
    small, big = GroupFactory(name="Small", owner=kam_user), GroupFactory(name="Big", owner=kam_user)
    populate(small, people=10, kam_user=kam_user, colleague=team_kam)
    populate(big, people=1000, kam_user=kam_user, colleague=team_kam)
    return small, big


def count_queries(assert_max, client, bound: int, name: str, account, **params) -> int:
    with assert_max(bound) as captured:
        answer = client.get(url(name, account.pk), params, headers=HTMX)
    assert answer.status_code == 200
    return len(captured)


def test_people_section_queries_do_not_grow_with_the_people(
    django_assert_max_num_queries, client_for, kam_user, small_and_big
):
    client = client_for(kam_user)
    small, big = small_and_big

    on_small = count_queries(django_assert_max_num_queries, client, PEOPLE_BOUND, "stakeholders:account_people", small)
    on_big = count_queries(django_assert_max_num_queries, client, PEOPLE_BOUND, "stakeholders:account_people", big)

    assert on_small == on_big
    big_section = section(client, "stakeholders:account_people", big)
    assert big_section.context["people_count"] == 1000 and big_section.context["links"]


def test_timeline_queries_do_not_grow_with_the_contacts(
    django_assert_max_num_queries, client_for, kam_user, small_and_big
):
    client = client_for(kam_user)
    small, big = small_and_big
    name = "stakeholders:account_timeline"

    on_small = count_queries(django_assert_max_num_queries, client, TIMELINE_BOUND, name, small)
    on_big = count_queries(django_assert_max_num_queries, client, TIMELINE_BOUND, name, big)
    on_big_later = count_queries(django_assert_max_num_queries, client, TIMELINE_BOUND, name, big, page=30)

    assert on_small == on_big == on_big_later
    assert section(client, name, big).context["page"].paginator.count == 1000


def test_account_page_queries_stay_the_same_with_people_and_contacts(
    django_assert_max_num_queries, client_for, kam_user, small_and_big
):
    client = client_for(kam_user)
    empty = GroupFactory(name="Empty", owner=kam_user)
    _, big = small_and_big

    counts = []
    for account in (empty, big):
        with django_assert_max_num_queries(ACCOUNT_PAGE_BOUND) as captured:
            answer = client.get(url("accounts:detail", account.pk))
        assert answer.status_code == 200
        counts.append(len(captured))

    assert counts[0] == counts[1]
