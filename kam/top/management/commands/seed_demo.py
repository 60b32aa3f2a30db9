"""Load the demo: the article's example customer group (Daimler) and four more key accounts,
demo users, figures, people with a year of contacts, an account plan, and what the nightly jobs
would have written.

Each app holds its own demo data (accounts.demo, stakeholders.demo, planning.demo); this command
runs them in order, in one transaction, and adds the top's part: alerts, today's snapshot and a
year of made-up monthly history. Idempotent like each app's demo.
"""

import secrets

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.demo import DAIMLER, GROUPS, PORTFOLIO, PRODUCT_LINES, seed_accounts, seed_users
from kam.lib.history import unrecorded
from kam.top.snapshots import backfill_history, snapshot_groups
from planning.demo import seed_plan
from stakeholders.alerts import watch
from stakeholders.demo import seed_people


class Command(BaseCommand):
    help = "Load the article's example key account (Daimler) with demo users kam, leader, regional and admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for all demo users (default: a new random one).")

    def handle(self, *args, password: str | None = None, **options) -> None:
        password = password or secrets.token_urlsafe(9)
        year = timezone.localdate().year
        # Made-up data is nobody's change: the demo starts with empty histories.
        with transaction.atomic(), unrecorded():
            users = seed_users(password)
            accounts = seed_accounts(users=users, year=year)
            people = seed_people(accounts=accounts, users=users, now=timezone.now())
            seed_plan(accounts=accounts, users=users, year=year)
            seed_snapshots([accounts[group.name].pk for group in GROUPS], people)
        self.stdout.write(
            f"Seeded {DAIMLER.name} and {len(PORTFOLIO)} more key accounts: {len(accounts)} accounts, "
            f"{len(PRODUCT_LINES)} product lines, "
            f"figures for {year - 1} and {year}, {len(people)} people with a year of contacts, an account plan."
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Demo loaded. Log in at http://127.0.0.1:8000/ as kam / leader / regional / admin "
                f"with password: {password}"
            )
        )


def seed_snapshots(group_ids: list[int], people: dict) -> None:
    """What the nightly jobs would have written: alerts for the demo people, today's snapshot
    of the groups, and a year of (made-up) monthly history for the trend charts."""
    watch.refresh(stakeholder_ids=[person.pk for person in people.values()])
    snapshot_groups(group_ids)
    backfill_history(group_ids)
