import csv
import io

from tests.factories import AccountFactory, GroupFactory


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_export_lists_the_visible_accounts_with_the_page_filters(client_for, kam_user, other_kam, group):
    AccountFactory(name="Daimler Truck", parent=group, country="DE")
    AccountFactory(name="Fuso", parent=group, country="JP", city="Kawasaki")
    GroupFactory(name="Bosch", owner=other_kam)

    response = client_for(kam_user).get("/accounts/export.csv", {"country": "JP"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = _rows(response)
    assert header[:2] == ["ID", "Name"]
    assert [row[1] for row in rows] == ["Fuso"]
    assert rows[0][3] == "Daimler" and rows[0][5] == "Kawasaki"


def test_export_leaks_nothing_of_other_kams_groups(client_for, kam_user, other_kam, group):
    GroupFactory(name="Bosch", owner=other_kam)

    names = [row[1] for row in _rows(client_for(kam_user).get("/accounts/export.csv"))[1:]]

    assert names == ["Daimler"]


def test_export_query_count_does_not_grow_with_rows(client_for, kam_user, group, django_assert_max_num_queries):
    client = client_for(kam_user)
    for n in range(40):
        AccountFactory(name=f"Branch {n}", parent=group, owner=kam_user)
    with django_assert_max_num_queries(6):
        response = client.get("/accounts/export.csv")
    assert len(_rows(response)) == 42
