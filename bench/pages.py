"""Time the main pages and API lists over HTTP (gunicorn on PostgreSQL) on a generated data set,
and count their SQL queries in-process. Run by hand, never in CI:

    .venv/bin/python bench/pages.py --size s                  # build kam_bench_s, run jobs, measure
    .venv/bin/python bench/pages.py --size s --reuse          # keep the data of an earlier run
    .venv/bin/python bench/pages.py --size m --requests 50 --database kam_bench_m

Steps:

1. The scratch database (default `kam_bench_<size>` on postgres@127.0.0.1:5432; the name must
   contain "bench", it is wiped) is created if missing and migrated, then flushed and filled by
   `manage.py generate_data --size <size> --no-jobs` (skipped with `--reuse`; the jobs still run).
2. The jobs run in-process and are timed, twice each (the second run is the steady state): the
   potential job (`snapshot_all`) and the decay job (`decay_job`; without REDIS_URL its commit
   wakes the catch-up snapshot in-process, timed apart). Then a year of monthly snapshots for the
   trend charts (`backfill_history`, untimed), VACUUM ANALYZE and a CHECKPOINT: the pages are
   timed on a settled database, not beside autovacuum cleaning up after the jobs' updates.
3. Three generated users get the password PASSWORD: a sales-leadership user, the KAM who owns
   the most key accounts, and the regional colleague with the most open tasks.
4. Each page is requested in-process (Django test client; a warm-up, then once counting) to
   count its SQL queries; the target is at most QUERY_BUDGET. Then gunicorn (2 workers,
   DEBUG=false, no REDIS_URL; the static files' manifest from `collectstatic` into the
   git-ignored staticfiles/) serves the app, each user logs in through the login form, and each
   page is requested WARMUPS + --requests times, the pages taking turns (one request each per
   round); median and p95 are of the timed ones.
   Any answer but 200 (a redirect to the login page included) stops the bench.
5. A Markdown table and the job timings are printed and written as JSON to
   bench/results/<size>.json; gunicorn's log goes to bench/out/gunicorn-<size>.log.
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
PASSWORD = "bench-pages-password"
WARMUPS = 3
QUERY_BUDGET = 15
HTMX = {"HX-Request": "true"}  # the lazy sections of the account page are fetched by htmx


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("xs", "s", "m", "l"), default="s", help="generate_data --size")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run (no build)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--database", help="scratch database name (default kam_bench_<size>)")
    args = parser.parse_args()
    args.database = args.database or f"kam_bench_{args.size}"
    if "bench" not in args.database:
        parser.error("the database name must contain 'bench' (it is wiped)")
    return args


ARGS = parse_args()
APP_ENV = {
    "DATABASE_URL": f"{SERVER}/{ARGS.database}",
    "SECRET_KEY": "bench-pages-not-secret",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_COOKIES": "false",
}
os.environ.pop("REDIS_URL", None)
os.environ.update(APP_ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "kam.settings"
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts import snapshots, trends  # noqa: E402
from accounts.models import Account, CurrentSnapshot  # noqa: E402
from kam.models import User  # noqa: E402
from planning.models import AccountPlan, Activity  # noqa: E402
from stakeholders.alerts import watch  # noqa: E402
from stakeholders.models import Stakeholder  # noqa: E402

# (label, user, path, fetched by htmx); {big}, {typical}, {person}, {plan} are filled in by targets().
PAGES = [
    ("home: portfolio dashboard", "leadership", "/", False),
    ("home: KAM's portfolio", "kam", "/", False),
    ("portfolio sorted by health", "leadership", "/?sort=health", False),
    ("account page, biggest group", "leadership", "/accounts/{big}/", False),
    ("account page, typical group", "leadership", "/accounts/{typical}/", False),
    ("whitespace grid (biggest)", "leadership", "/accounts/{big}/whitespace/", True),
    ("people (biggest)", "leadership", "/people/in/{big}/", True),
    ("timeline (biggest)", "leadership", "/people/in/{big}/timeline/", True),
    ("plan section (biggest)", "leadership", "/plans/for/{big}/", True),
    ("whole tree expanded (biggest)", "leadership", "/accounts/{big}/tree/?all=1", True),
    ("account list", "leadership", "/accounts/", False),
    ("people list", "leadership", "/people/", False),
    ("person page", "leadership", "/people/{person}/", False),
    ("alerts", "leadership", "/people/alerts/", False),
    ("plan list", "leadership", "/plans/", False),
    ("plan board", "leadership", "/plans/{plan}/", False),
    ("My tasks (regional)", "regional", "/tasks/", False),
    ("portfolio CSV export", "leadership", "/portfolio/export.csv", False),
    ("API accounts", "leadership", "/api/accounts/", False),
    ("API stakeholders", "leadership", "/api/stakeholders/", False),
    ("API interactions", "leadership", "/api/interactions/", False),
    ("API relationships", "leadership", "/api/relationships/", False),
    ("API alerts", "leadership", "/api/alerts/", False),
    ("API activities", "leadership", "/api/activities/", False),
]


# --- the data -----------------------------------------------------------------------------------


def ensure_database(name: str) -> None:
    """Create the scratch database unless it exists (through the `postgres` database)."""
    server = psycopg2.connect(f"{SERVER}/postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    server.close()


def build(size: str) -> float:
    """Wipe the database and generate the data set; returns the seconds it took."""
    clock = time.perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    call_command("generate_data", size=size, no_jobs=True)
    return round(time.perf_counter() - clock, 1)


def data_counts() -> dict:
    with connection.cursor() as cursor:
        found = {}
        for table in ("accounts_account", "stakeholders_stakeholder", "stakeholders_relationship",
                      "stakeholders_interaction", "stakeholders_alert", "planning_activity"):  # fmt: skip
            cursor.execute(f"SELECT count(*) FROM {table}")
            found[table] = cursor.fetchone()[0]
        return found


# --- the jobs -----------------------------------------------------------------------------------


def timed(label: str, work, timings: dict) -> None:
    clock = time.perf_counter()
    result = work()
    timings[label] = round(time.perf_counter() - clock, 2)
    print(f"{label:<52} {timings[label]:8.2f} s   {result if result is not None else ''}", flush=True)


def decay_run(run: int, timings: dict) -> None:
    """The decay job, and apart from it what its commit sets off: without REDIS_URL the catch-up
    snapshot of every group (the job marks them all stale) runs in-process on commit."""
    clock = time.perf_counter()
    with transaction.atomic():
        timed(f"decay job, run {run}", lambda: watch.decay_job().as_dict(), timings)
    label = f"decay commit + the catch-up snapshot it wakes, run {run}"
    timings[label] = round(time.perf_counter() - clock - timings[f"decay job, run {run}"], 2)
    print(f"{label:<52} {timings[label]:8.2f} s", flush=True)


def run_jobs() -> dict:
    timings: dict[str, float] = {}
    for run in (1, 2):
        timed(f"potential job, run {run}", lambda: snapshots.snapshot_all().as_dict(), timings)
        decay_run(run, timings)
    group_ids = list(Account.objects.roots().values_list("pk", flat=True))
    timed("a year of trend history (backfill_history)", lambda: trends.backfill_history(group_ids), {})
    with connection.cursor() as cursor:
        timed("VACUUM ANALYZE", lambda: cursor.execute("VACUUM ANALYZE"), {})
        timed("CHECKPOINT", lambda: cursor.execute("CHECKPOINT"), {})
    return timings


# --- who and what is requested ------------------------------------------------------------------


def bench_users() -> dict[str, User]:
    """The generated users the pages are requested as, with the password PASSWORD."""
    generated = User.objects.filter(username__startswith="gen-", is_active=True).order_by("username")
    open_tasks = Count("tasks", filter=Q(tasks__status__in=Activity.ACTIVE_STATUSES))
    key_accounts = Count("owned_accounts", filter=Q(owned_accounts__is_key_account=True))
    users = {
        "leadership": generated.filter(role=User.Role.LEADERSHIP).first(),
        "kam": generated.filter(role=User.Role.KAM).annotate(n=key_accounts).order_by("-n", "username").first(),
        "regional": generated.filter(role=User.Role.REGIONAL)
        .annotate(n=open_tasks)
        .filter(n__gt=0)
        .order_by("-n", "username")
        .first(),
    }
    for role, user in users.items():
        if user is None:
            sys.exit(f"No generated {role} user (username gen-…) found: was the data built with generate_data?")
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return users


def targets() -> dict:
    """Ids for the paths: the biggest group, a typical one (median size), a person of the biggest
    group with the most contacts, and the plan of the biggest group (else the fullest plan)."""
    sizes = list(
        CurrentSnapshot.objects.values_list("snapshot__group_id")
        .annotate(nodes=Count("account_id"))
        .order_by("-nodes", "snapshot__group_id")
    )
    if not sizes:
        sys.exit("No snapshots: the potential job found no groups.")
    (big, big_nodes), (typical, typical_nodes) = sizes[0], sizes[len(sizes) // 2]
    nodes = CurrentSnapshot.objects.filter(snapshot__group_id=big).values("account_id")
    people = Stakeholder.objects.filter(account_id__in=nodes).annotate(n=Count("interactions"))
    person = people.order_by("-n", "pk").values_list("pk", flat=True).first()
    plans = AccountPlan.objects.annotate(n=Count("activities")).order_by("-n", "pk")
    plan = plans.filter(account_id=big).first() or plans.first()
    if person is None or plan is None:
        sys.exit("The biggest group has no people, or there is no plan at all.")
    return {"big": big, "typical": typical, "person": person, "plan": plan.pk,
            "big_nodes": big_nodes, "typical_nodes": typical_nodes}  # fmt: skip


def page_list(ids: dict) -> list[dict]:
    return [
        {"label": label, "user": user, "path": path.format(**ids), "htmx": htmx} for label, user, path, htmx in PAGES
    ]


# --- in-process: SQL queries per page -----------------------------------------------------------


def count_queries(pages: list[dict], users: dict[str, User]) -> None:
    """Each page once to warm up, once more inside CaptureQueriesContext; fails on any non-200."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    for page in pages:
        client, headers = clients[page["user"]], HTMX if page["htmx"] else {}
        client.get(page["path"], headers=headers)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"], headers=headers)
        if response.status_code != 200:
            sys.exit(f"{page['path']} as {page['user']} answered {response.status_code} in-process")
        page["queries"] = len(queries.captured_queries)
        print(f"  {page['queries']:3d} queries  {page['path']} ({page['user']})", flush=True)


# --- over HTTP: gunicorn ------------------------------------------------------------------------


class NoRedirect(HTTPRedirectHandler):
    """A redirect (to the login page, say) must not pass for a page: let it surface as an error."""

    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    log.parent.mkdir(exist_ok=True)
    command = [str(Path(sys.executable).with_name("gunicorn")), "kam.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"]
    command.append("--no-control-socket")  # gunicorn 27's default socket in ~/.gunicorn is shared by all
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"} | APP_ENV
    with log.open("w") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def wait_until_up(server: subprocess.Popen, base: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with build_opener().open(f"{base}/login/", timeout=10) as response:
                if response.status == 200:
                    return
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def login(base: str, username: str):
    """A cookie-keeping opener logged in through the login form (CSRF token included)."""
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(f"{base}/login/", timeout=10) as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    form = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    try:
        opener.open(f"{base}/login/", form, timeout=30)
        sys.exit(f"Login of {username} did not redirect: wrong password or form?")
    except HTTPError as answer:
        if answer.code != 302:
            sys.exit(f"Login of {username} answered {answer.code}")
    if "sessionid" not in {cookie.name for cookie in jar}:
        sys.exit(f"Login of {username} set no session cookie")
    return opener


def fetch(opener, url: str, headers: dict) -> int:
    """One request, its body read to the end; the body's size. Anything but 200 stops the bench."""
    try:
        with opener.open(Request(url, headers=headers), timeout=60) as response:
            return len(response.read())
    except HTTPError as answer:
        sys.exit(f"{url} answered {answer.code}: {answer.read()[:500]!r}")


def summary(seconds: list[float], size: int) -> dict:
    seconds = sorted(seconds)
    p95 = seconds[math.ceil(0.95 * len(seconds)) - 1]
    return {"median_ms": round(statistics.median(seconds) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "kb": round(size / 1024, 1)}  # fmt: skip


def time_pages(pages: list[dict], users: dict[str, User], requests: int, size: str) -> None:
    """Serve with gunicorn, log each user in, time every page; gunicorn stops in all cases.
    The pages take turns, one request each per round, so that a slow moment of the machine
    spreads over all of them instead of spoiling one."""
    port, log = free_port(), ROOT / "bench" / "out" / f"gunicorn-{size}.log"
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, log)
    try:
        wait_until_up(server, base, log)
        openers = {role: login(base, user.username) for role, user in users.items()}
        requests_of = [(openers[page["user"]], base + page["path"], HTMX if page["htmx"] else {}) for page in pages]
        sizes = [0] * len(pages)
        for _ in range(WARMUPS):
            for index, request in enumerate(requests_of):
                sizes[index] = fetch(*request)
        seconds: list[list[float]] = [[] for _ in pages]
        for round_ in range(requests):
            for index, request in enumerate(requests_of):
                clock = time.perf_counter()
                fetch(*request)
                seconds[index].append(time.perf_counter() - clock)
            print(f"  round {round_ + 1} of {requests}", end="\r", flush=True)
        print()
        for page, timings, body in zip(pages, seconds, sizes, strict=True):
            page.update(summary(timings, body))
            print(f"  {page['median_ms']:8.1f} ms  {page['path']} ({page['user']})", flush=True)
    finally:
        stop_gunicorn(server)


# --- the report ---------------------------------------------------------------------------------


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    kb = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo).group(1))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW jit")  # on by default: it compiles the job's big statements (seconds each)
        jit = cursor.fetchone()[0]
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    changes = [*git, "status", "--porcelain", "--", ".", ":!bench/results"]  # earlier results do not count
    dirty = bool(subprocess.run(changes, capture_output=True, text=True).stdout.strip())
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(kb / 1024 / 1024, 1),
        "postgresql": version,
        "jit": jit,
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "commit": commit + (" (uncommitted changes)" if dirty else ""),
    }


def markdown(pages: list[dict]) -> str:
    lines = ["| page | user | median ms | p95 ms | queries | KB |", "|---|---|---:|---:|---:|---:|"]
    for page in pages:
        flag = " ⚠" if page["queries"] > QUERY_BUDGET else ""
        lines.append(
            f"| {page['label']} `{page['path']}` | {page['user']} | {page['median_ms']:.1f} | "
            f"{page['p95_ms']:.1f} | {page['queries']}{flag} | {page['kb']:.1f} |"
        )
    return "\n".join(lines)


def report(result: dict) -> None:
    print(f"\n## Pages, size {result['size']} ({result['requests']} requests each after {WARMUPS} warm-ups)\n")
    print(markdown(result["pages"]))
    print("\n## Jobs (seconds)\n")
    for label, seconds in result["jobs"].items():
        print(f"- {label}: {seconds:.2f}")
    over = [page["path"] for page in result["pages"] if page["queries"] > QUERY_BUDGET]
    if over:
        print(f"\nOver the budget of {QUERY_BUDGET} queries: {', '.join(over)}")
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"{result['size']}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")


def main() -> None:
    ensure_database(ARGS.database)
    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Run on a PostgreSQL database whose name contains 'bench' (it is wiped).")
    call_command("migrate", verbosity=0)
    build_seconds = None if ARGS.reuse else build(ARGS.size)
    jobs = run_jobs()
    users, ids = bench_users(), targets()
    pages = page_list(ids)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG=false: pages need the manifest
    print("SQL queries per page (in-process):", flush=True)
    count_queries(pages, users)
    print(f"Timing over HTTP ({ARGS.requests} requests per page after {WARMUPS} warm-ups):", flush=True)
    host = machine()  # the load average before the timing
    time_pages(pages, users, ARGS.requests, ARGS.size)
    result = {
        "size": ARGS.size, "database": ARGS.database, "requests": ARGS.requests, "machine": host,
        "data": data_counts(), "build_seconds": build_seconds, "jobs": jobs, "targets": ids,
        "users": {role: user.username for role, user in users.items()}, "pages": pages,
    }  # fmt: skip
    report(result)


if __name__ == "__main__":
    main()
