"""Time the two background jobs at the scale of DESIGN.md on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres kam_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench .venv/bin/python bench/jobs.py
    ... --reuse    # keep the data of an earlier run, time the jobs only

Builds, with set-based SQL (a minimal generator for this benchmark; the full data generator
`generate_data` of the dashboards issue builds richer data):

- 50,000 accounts: 999 groups of 48 nodes (fan-out 4, participations at 50 %) and one group of
  2,048 nodes 11 levels deep, with revenue and potential on three of five product lines;
- 500 colleagues, 200,000 stakeholders (4 per node, every buying role and influence), each
  with a relationship owner;
- 500,000 relationships (2 or 3 colleagues per person) and 2,000,000 interactions (4 per
  relationship, spread over the last 400 days), each with its person and colleague.

Then runs the potential job (snapshot of every node) and the decay job (every relationship,
then the alerts) twice each (the second run is the steady state: same day, alerts open) and
prints the timings. Refuses to touch a database whose name does not contain "bench".
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from accounts import snapshots  # noqa: E402
from stakeholders import alerts  # noqa: E402

GROUPS, GROUP_SIZE, FANOUT = 999, 48, 4
DEEP_GROUP_SIZE = 2048  # fan-out 2: 11 levels
USERS, PEOPLE_PER_NODE = 500, 4
INTERACTIONS_PER_RELATIONSHIP = 4

TABLES = [
    "stakeholders_alertdigest",
    "stakeholders_alert",
    "stakeholders_interaction_colleagues",
    "stakeholders_interaction_stakeholders",
    "stakeholders_interaction",
    "stakeholders_give",
    "stakeholders_relationship",
    "stakeholders_influencelink",
    "stakeholders_position",
    "stakeholders_stakeholder",
    "accounts_accountsnapshot",
    "accounts_stalegroup",
    "accounts_revenue",
    "accounts_potential",
    "accounts_accountteammember",
    "accounts_productline",
    "accounts_account",
]

STEPS = [
    (
        "users",
        f"""
        INSERT INTO kam_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
                              date_joined, role, country)
        SELECT '!', false, 'bench' || g, 'Bench', 'User ' || g, 'bench' || g || '@example.com', false, true,
               now(), 'kam', 'DE'
        FROM generate_series(1, {USERS}) g
        ON CONFLICT (username) DO NOTHING
        """,
    ),
    (
        "product lines",
        """
        INSERT INTO accounts_productline (created_at, updated_at, code, name, is_active)
        SELECT now(), now(), 'PL' || g, 'Product line ' || g, true FROM generate_series(1, 5) g
        """,
    ),
    # Node n of a group (0 = the group) has parent (n - 1) / fanout: a complete tree, level by level.
    (
        "accounts",
        f"""
        WITH layout(grp, size, fanout) AS (
            SELECT g, {GROUP_SIZE}, {FANOUT} FROM generate_series(1, {GROUPS}) g
            UNION ALL SELECT {GROUPS} + 1, {DEEP_GROUP_SIZE}, 2
        )
        INSERT INTO accounts_account (id, created_at, updated_at, name, kind, parent_id, country, city,
                                      ownership_share, owner_id, is_key_account, archived_at)
        SELECT grp * 10000 + n, now(), now(),
               CASE WHEN n = 0 THEN 'Group ' || grp ELSE 'Group ' || grp || ' node ' || n END,
               CASE WHEN n = 0 THEN 'group' WHEN n % 7 = 0 THEN 'participation' ELSE 'subsidiary' END,
               CASE WHEN n = 0 THEN NULL ELSE grp * 10000 + (n - 1) / fanout END,
               'DE', 'Stuttgart', CASE WHEN n > 0 AND n % 7 = 0 THEN 50 END,
               {{first_user}} + grp % {USERS}, n = 0, NULL
        FROM layout, generate_series(0, layout.size - 1) n
        """,
    ),
    (
        "revenue",
        """
        INSERT INTO accounts_revenue (created_at, updated_at, account_id, product_line_id, year, amount)
        SELECT now(), now(), a.id, pl.id, EXTRACT(YEAR FROM now()), 1000 + (a.id * 37 + pl.id * 11) % 9000
        FROM accounts_account a JOIN accounts_productline pl ON (a.id + pl.id) % 5 < 3
        WHERE (a.id * 13 + pl.id) % 10 < 6
        """,
    ),
    (
        "potential",
        """
        INSERT INTO accounts_potential (created_at, updated_at, account_id, product_line_id, year, amount, confidence)
        SELECT now(), now(), a.id, pl.id, EXTRACT(YEAR FROM now()), 5000 + (a.id * 53 + pl.id * 7) % 20000, 50
        FROM accounts_account a JOIN accounts_productline pl ON (a.id + pl.id) % 5 < 3
        """,
    ),
    (
        "stakeholders",
        f"""
        INSERT INTO stakeholders_stakeholder (created_at, updated_at, account_id, first_name, last_name, job_title,
            email, phone, reports_to_id, buying_role, influence, attitude, rising, cadence_days, relationship_owner_id)
        SELECT now() - interval '2 years', now(), a.id, 'First', 'Person ' || a.id || '-' || k, 'Manager', '', '',
               NULL,
               (ARRAY['decision_maker','economic_buyer','technical_buyer','user','influencer','gatekeeper',
                      'champion'])[1 + (a.id + k) % 7],
               1 + (a.id * 3 + k) % 5,
               (ARRAY['champion','supporter','neutral','skeptic','opponent'])[1 + (a.id + k) % 5],
               false, (ARRAY[30, 45, 60, 90])[1 + (a.id + k) % 4], NULL
        FROM accounts_account a, generate_series(0, {PEOPLE_PER_NODE - 1}) k
        """,
    ),
    # 2 or 3 colleagues per person, distinct by construction: 500,000 in all.
    (
        "relationships",
        f"""
        INSERT INTO stakeholders_relationship (user_id, stakeholder_id, strength, status, last_interaction_at,
                                               computed_at, created_at)
        SELECT {{first_user}} + (s.id + j * 97) % {USERS}, s.id, 0, 'cold', NULL, NULL,
               now() - interval '1 year'
        FROM stakeholders_stakeholder s, generate_series(0, 2) j
        WHERE j < 2 OR s.id % 2 = 0
        """,
    ),
    (
        "owners",
        f"""
        UPDATE stakeholders_stakeholder SET relationship_owner_id = {{first_user}} + id % {USERS}
        """,
    ),
    (
        "numbering",
        """
        CREATE TEMP TABLE bench_pairs AS
        SELECT ROW_NUMBER() OVER (ORDER BY r.id) - 1 AS rn, r.user_id, r.stakeholder_id, s.account_id
        FROM stakeholders_relationship r JOIN stakeholders_stakeholder s ON s.id = r.stakeholder_id;
        CREATE INDEX ON bench_pairs (rn);
        ANALYZE bench_pairs;
        """,
    ),
    # Interaction g belongs to pair g % pairs; its id is fixed in advance so that the links can be
    # written by the same arithmetic.
    (
        "interactions",
        f"""
        INSERT INTO stakeholders_interaction (id, created_at, updated_at, account_id, kind, occurred_at, summary,
                                              sentiment, logged_by_id)
        SELECT g, now(), now(), p.account_id,
               (ARRAY['meeting','call','visit','email','event','note'])[1 + g % 6],
               now() - make_interval(secs => ((g * 7919) % (400 * 86400))),
               'Bench contact', (ARRAY['positive','neutral','negative'])[1 + g % 3], p.user_id
        FROM generate_series(1, (SELECT count(*) FROM bench_pairs) * {INTERACTIONS_PER_RELATIONSHIP}) g
        JOIN bench_pairs p ON p.rn = g % (SELECT count(*) FROM bench_pairs)
        """,
    ),
    (
        "interaction people",
        """
        INSERT INTO stakeholders_interaction_stakeholders (interaction_id, stakeholder_id)
        SELECT i.id, p.stakeholder_id FROM stakeholders_interaction i
        JOIN bench_pairs p ON p.rn = i.id % (SELECT count(*) FROM bench_pairs)
        """,
    ),
    (
        "interaction colleagues",
        """
        INSERT INTO stakeholders_interaction_colleagues (interaction_id, user_id)
        SELECT i.id, p.user_id FROM stakeholders_interaction i
        JOIN bench_pairs p ON p.rn = i.id % (SELECT count(*) FROM bench_pairs)
        """,
    ),
    (
        "sequences",
        """
        SELECT setval(pg_get_serial_sequence('accounts_account', 'id'), (SELECT max(id) FROM accounts_account));
        SELECT setval(pg_get_serial_sequence('stakeholders_interaction', 'id'),
                      (SELECT max(id) FROM stakeholders_interaction));
        DROP TABLE bench_pairs;
        """,
    ),
]


def timed(label: str, work) -> float:
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"{label:<45} {seconds:8.2f} s   {result if result is not None else ''}", flush=True)
    return seconds


def generate() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        first_user = None
        for label, sql in STEPS:
            if first_user is None and label != "users":
                cursor.execute("SELECT min(id) FROM kam_user WHERE username LIKE 'bench%%'")
                first_user = cursor.fetchone()[0]
            sql = sql if label == "users" else sql.replace("{first_user}", str(first_user))
            timed(f"generate {label}", lambda sql=sql: cursor.execute(sql))
        timed("ANALYZE", lambda: cursor.execute("ANALYZE"))


def counts() -> dict:
    with connection.cursor() as cursor:
        found = {}
        for table in ("accounts_account", "stakeholders_stakeholder", "stakeholders_relationship",
                      "stakeholders_interaction"):  # fmt: skip
            cursor.execute(f"SELECT count(*) FROM {table}")
            found[table] = cursor.fetchone()[0]
        return found


def main() -> None:
    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Run on a PostgreSQL database whose name contains 'bench' (it is wiped): see the docstring.")
    call_command("migrate", verbosity=0)
    if "--reuse" not in sys.argv:
        generate()
    print(counts())
    print(f"cores: {os.cpu_count()}")
    for run in (1, 2):
        timed(f"potential job, run {run} (snapshot of every node)", lambda: snapshots.snapshot_all().as_dict())
        clock = time.perf_counter()

        def progress(line: str, clock=clock) -> None:
            print(f"  {line} after {time.perf_counter() - clock:.2f} s", flush=True)

        timed(
            f"decay job, run {run} (relationships, then alerts)", lambda: alerts.decay_job(progress=progress).as_dict()
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, count(*) FROM stakeholders_alert WHERE resolved_at IS NULL GROUP BY kind")
        print("open alerts:", dict(cursor.fetchall()))


if __name__ == "__main__":
    main()
