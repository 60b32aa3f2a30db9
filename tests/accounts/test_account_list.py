"""The account list: revenue, potential, relationship health and last contact from each
node's current snapshot, sorting by any column, and a query count that does not grow."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kam.top import snapshots
from planning.models import Activity
from tests.accounts.test_pages import bosch, daimler, lines  # noqa: F401 - fixtures
from tests.factories import ActivityFactory, InteractionFactory, StakeholderFactory


def rows(client, **params) -> list[list[str]]:
    """The table's rows as the text of their cells."""
    import re

    html = client.get(reverse("accounts:list"), params).content.decode()
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in body.split("</tr>")[:-1]
    ]


def names(client, **params) -> list[str]:
    return [row[0].replace("★", "").strip() for row in rows(client, **params)]


def test_the_list_shows_rolled_up_figures_health_and_last_contact(client_for, kam_user, daimler):  # noqa: F811
    group = daimler["group"]
    StakeholderFactory(account=daimler["hq"], first_name="Ola", last_name="Key", buying_role="decision_maker")
    InteractionFactory(account=daimler["hq"], occurred_at=timezone.now() - timedelta(days=3))
    snapshots.snapshot_groups([group.pk])
    by_name = dict(zip(names(client_for(kam_user)), rows(client_for(kam_user)), strict=True))
    assert by_name["Daimler"][6:] == ["12,845", "33,500", "0.0 %", "3 days ago"]
    assert by_name["Daimler HQ"][6:8] == ["2,345", "2,000"]


def test_before_the_first_snapshot_the_figures_are_dashes(client_for, kam_user, daimler):  # noqa: F811
    assert rows(client_for(kam_user))[0][6:] == ["–", "–", "–", "–"]


def test_a_regional_colleague_sees_own_figures_only(client_for, kam_user, regional, daimler):  # noqa: F811
    ActivityFactory(account=daimler["group"], assignee=regional, status=Activity.Status.ASSIGNED)
    snapshots.snapshot_groups([daimler["group"].pk])
    page = client_for(regional).get(reverse("accounts:list")).content.decode()
    assert "Revenue (own)" in page and "Health" not in page
    assert rows(client_for(regional))[0][1:] == ["Group", "–", "Germany", "Stuttgart", "kam", "10,000", "30,000"]


def test_sorting_by_figures_biggest_first_then_the_other_way(client_for, kam_user, daimler):  # noqa: F811
    snapshots.snapshot_groups([daimler["group"].pk])
    client = client_for(kam_user)
    assert names(client, sort="-revenue") == ["Daimler", "Daimler HQ", "car2go", "Daimler Trucks", "Trucks Brazil"]
    assert names(client, sort="revenue") == ["Daimler Trucks", "Trucks Brazil", "car2go", "Daimler HQ", "Daimler"]
    assert [row[4] for row in rows(client, sort="city")] == ["Berlin", "Iracemápolis", "Leinfelden", "Stuttgart",
                                                             "Untertürkheim"]  # fmt: skip


def test_a_header_link_sorts_biggest_first_and_a_second_click_turns_it(client_for, kam_user, daimler):  # noqa: F811
    page = client_for(kam_user).get(reverse("accounts:list"), {"sort": "-revenue"}).content.decode()
    assert 'href="?sort=revenue"' in page  # the other direction
    assert 'href="?sort=-potential"' in page  # a figure: biggest first
    assert 'href="?sort=name"' in page  # a name: A–Z first
    assert page.count('aria-sort="descending"') == 1


def test_an_unknown_sort_falls_back_to_the_name(client_for, kam_user, daimler):  # noqa: F811
    assert client_for(kam_user).get(reverse("accounts:list"), {"sort": "nonsense"}).status_code == 200
