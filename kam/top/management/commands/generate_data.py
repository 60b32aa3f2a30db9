"""Generate a realistic data set for demos and benchmarks (see kam.top.generator)."""

from django.core.management.base import BaseCommand, CommandParser

from kam.top.generator import SIZES, generate


class Command(BaseCommand):
    help = (
        "Replace the generated data set (users gen-*, the groups they own) by a new one: customer groups with "
        "hierarchy and figures, stakeholders, relationships, contacts, plans. Same seed, same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=list(SIZES), default="s", help="xs (tests), s, m or l (50,000 accounts)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--no-jobs", action="store_true", help="skip the decay and potential jobs at the end")

    def handle(self, *args, size: str, seed: int, no_jobs: bool, **options) -> None:
        spec = SIZES[size]
        self.stdout.write(f"generate_data --size {size} --seed {seed}")
        result = generate(size, seed=seed, jobs=not no_jobs, progress=self.stdout.write)
        written = result.written
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {spec.groups:,} groups, {spec.nodes:,} accounts, {spec.stakeholders:,} stakeholders, "
                f"{spec.relationships:,} relationships, {spec.interactions:,} interactions, "
                f"{written.get('planning_accountplan', 0):,} plans, {written.get('planning_activity', 0):,} "
                f"activities in {result.seconds:.1f} s."
            )
        )
