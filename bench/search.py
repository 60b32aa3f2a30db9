"""Time search over HTTP (gunicorn on PostgreSQL) on a generated data set, and count its SQL
queries in-process. Run by hand, never in CI:

    .venv/bin/python bench/search.py --database kam_bench_l --size l     # data from bench/pages.py
    .venv/bin/python bench/search.py --database kam_bench_s --size s --build

1. The database (its name must contain "bench") is migrated, which adds search's columns and
   indexes (about six minutes on size l, once). `--build` first fills it with
   `generate_data --size <size>` (with its jobs); without it the data of an earlier run is used.
2. A sales-leadership user and the KAM who owns the most key accounts get the password
   PASSWORD. The queries come from the data: a person of the KAM's groups by full name, in the
   other order, by the start of the surname and with two letters of the surname swapped; words
   from contact notes (common, rare, two words, a German word form that is nowhere).
3. Each request is made once in-process to count its queries (the palette and the results
   page must not grow between sizes: compare the two JSON files), then gunicorn (2 workers,
   DEBUG=false) serves the app and every request is timed WARMUPS + --requests times, the
   requests taking turns. Median and p95 of the timed ones.
4. A Markdown table goes to stdout and JSON to bench/results/search-<size>.json.
"""

import argparse
import json
import math
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "bench-search-password"
WARMUPS = 3
HTMX = {"HX-Request": "true"}
TARGETS = {"palette": (50, 150), "page": (100, 100)}  # median, p95 in ms (the page: median)

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--database", required=True, help="a PostgreSQL database whose name contains 'bench'")
parser.add_argument("--size", default="l", choices=("xs", "s", "m", "l"), help="for the file name and --build")
parser.add_argument("--build", action="store_true", help="wipe the database and run generate_data first")
parser.add_argument("--requests", type=int, default=30, help="timed requests per URL (default 30)")
ARGS = parser.parse_args()
if "bench" not in ARGS.database:
    parser.error("the database name must contain 'bench'")

APP_ENV = {
    "DATABASE_URL": f"{SERVER}/{ARGS.database}",
    "SECRET_KEY": "bench-search-not-secret",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_COOKIES": "false",
}
os.environ.pop("REDIS_URL", None)
os.environ.update(APP_ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "kam.settings"
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kam.models import User  # noqa: E402
from kam.visibility import visible_account_id_list  # noqa: E402
from stakeholders.models import Stakeholder  # noqa: E402


def users() -> dict[str, User]:
    generated = User.objects.filter(username__startswith="gen-", is_active=True).order_by("username")
    key_accounts = Count("owned_accounts", filter=Q(owned_accounts__is_key_account=True))
    found = {
        "leadership": generated.filter(role=User.Role.LEADERSHIP).first(),
        "kam": generated.filter(role=User.Role.KAM).annotate(n=key_accounts).order_by("-n", "username").first(),
    }
    for role, user in found.items():
        if user is None:
            sys.exit(f"No generated {role} user: was the data built with generate_data?")
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return found


def swapped(word: str) -> str:
    """Two letters in the middle of `word` swapped: a typo."""
    middle = len(word) // 2
    return word[: middle - 1] + word[middle] + word[middle - 1] + word[middle + 1 :]


def requests_of(kam: User) -> list[dict]:
    people = Stakeholder.objects.filter(account_id__in=visible_account_id_list(kam)).order_by("pk")
    person = people[people.count() // 2]
    first, last = person.first_name, person.last_name
    queries = {
        "name": f"{first} {last}",
        "name, other order": f"{last} {first}",
        "surname typed so far": last[:4],
        "surname with a typo": f"{first} {swapped(last)}",
        "contact word, common": "pilot",
        "contact words, two": "budget frozen",
        "contact word, rare": "tender",
        "German word form, nowhere": "Verhandlungen",
    }
    found = []
    for role in ("leadership", "kam"):
        for label, q in queries.items():
            found.append(
                {"kind": "palette", "label": label, "user": role, "path": "/search/palette/?" + urlencode({"q": q})}
            )
        for label, q, kind in (("name", queries["name"], "stakeholder"), ("contact word", "pilot", "interaction")):
            path = "/search/?" + urlencode({"q": q, "type": kind})
            found.append({"kind": "page", "label": f"results page: {label}", "user": role, "path": path})
        path = "/api/search/?" + urlencode({"q": queries["name"]})
        found.append({"kind": "page", "label": "API, every kind: name", "user": role, "path": path})
    return found


def count_queries(items: list[dict], accounts: dict[str, User]) -> None:
    clients = {role: Client() for role in accounts}
    for role, client in clients.items():
        client.force_login(accounts[role])
    for item in items:
        client, headers = clients[item["user"]], HTMX if item["kind"] == "palette" else {}
        client.get(item["path"], headers=headers)
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(item["path"], headers=headers)
        if answer.status_code != 200:
            sys.exit(f"{item['path']} answered {answer.status_code} in-process")
        item["queries"] = len(queries.captured_queries)


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int, log: Path) -> subprocess.Popen:
    log.parent.mkdir(exist_ok=True)
    command = [str(Path(sys.executable).with_name("gunicorn")), "kam.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}",
               "--no-control-socket"]  # fmt: skip
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"} | APP_ENV
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            with build_opener().open(f"http://127.0.0.1:{port}/login/", timeout=10):
                return server
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer within 60 s")


def login(base: str, username: str):
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{base}/login/", timeout=10) as answer:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.read().decode()).group(1)
    form = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    try:
        opener.open(f"{base}/login/", form, timeout=30)
        sys.exit(f"Login of {username} did not redirect")
    except HTTPError as answer:
        if answer.code != 302:
            sys.exit(f"Login of {username} answered {answer.code}")
    return opener


def fetch(opener, url: str, headers: dict) -> None:
    try:
        with opener.open(Request(url, headers=headers), timeout=60) as answer:
            answer.read()
    except HTTPError as answer:
        sys.exit(f"{url} answered {answer.code}")


def time_requests(items: list[dict], accounts: dict[str, User]) -> None:
    port = free_port()
    base, server = f"http://127.0.0.1:{port}", serve(port, ROOT / "bench" / "out" / f"gunicorn-search-{ARGS.size}.log")
    try:
        openers = {role: login(base, user.username) for role, user in accounts.items()}
        calls = [(openers[i["user"]], base + i["path"], HTMX if i["kind"] == "palette" else {}) for i in items]
        for _ in range(WARMUPS):
            for call in calls:
                fetch(*call)
        seconds: list[list[float]] = [[] for _ in items]
        for _ in range(ARGS.requests):
            for index, call in enumerate(calls):
                clock = time.perf_counter()
                fetch(*call)
                seconds[index].append(time.perf_counter() - clock)
        for item, timings in zip(items, seconds, strict=True):
            timings.sort()
            item["median_ms"] = round(statistics.median(timings) * 1000, 1)
            item["p95_ms"] = round(timings[math.ceil(0.95 * len(timings)) - 1] * 1000, 1)
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(items: list[dict], accounts: dict[str, User]) -> None:
    lines = ["| what | user | median ms | p95 ms | queries |", "|---|---|---:|---:|---:|"]
    for item in items:
        median, p95 = TARGETS[item["kind"]]
        over = " ⚠" if item["median_ms"] > median or item["p95_ms"] > p95 else ""
        lines.append(f"| {item['kind']}: {item['label']} `{item['path']}` | {item['user']} | {item['median_ms']:.1f} | "
                     f"{item['p95_ms']:.1f}{over} | {item['queries']} |")  # fmt: skip
    print("\n".join(lines))
    palette = [item["median_ms"] for item in items if item["kind"] == "palette"]
    print(f"\npalette: median of the medians {statistics.median(palette):.1f} ms, worst {max(palette):.1f} ms")
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM stakeholders_interaction")
        contacts = cursor.fetchone()[0]
    result = {"size": ARGS.size, "database": ARGS.database, "requests": ARGS.requests, "contacts": contacts,
              "users": {role: user.username for role, user in accounts.items()}, "items": items,
              "load_average": [round(load, 2) for load in os.getloadavg()]}  # fmt: skip
    path = folder / f"search-{ARGS.size}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"written to {path.relative_to(ROOT)}")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Run on PostgreSQL.")
    if ARGS.build:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        call_command("generate_data", size=ARGS.size)
    clock = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - clock:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    accounts = users()
    items = requests_of(accounts["kam"])
    call_command("collectstatic", interactive=False, verbosity=0)
    count_queries(items, accounts)
    time_requests(items, accounts)
    report(items, accounts)


if __name__ == "__main__":
    main()
