import re

from django.core.management import call_command


def test_schema_is_served(api_for, kam_user):
    answer = api_for(kam_user).get("/api/schema/", {"format": "json"})

    assert answer.status_code == 200
    paths = answer.json()["paths"]
    for path in (
        "/api/auth/token/",
        "/api/users/me/",
        "/api/accounts/{id}/tree/",
        "/api/accounts/{id}/move/",
        "/api/product-lines/",
        "/api/revenues/",
        "/api/potentials/",
    ):
        assert path in paths


def test_schema_is_valid_and_generates_without_warnings(db, tmp_path):
    # --fail-on-warn turns every guess drf-spectacular had to make into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert "/api/accounts/{id}/tree/" in (tmp_path / "schema.yml").read_text()


def test_docs_page_works_offline(api_for, kam_user):
    answer = api_for(kam_user).get("/api/docs/")

    assert answer.status_code == 200
    html = answer.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert not re.search(r"""https?://|(src|href)=["']//""", html)
