"""The data generator behind `manage.py generate_data`: realistic, deterministic customer groups
with people, contacts and plans, in sizes from a test fixture (xs) to the scale KAM is built for
(l: 50,000 accounts).

Same seed, same data. A run replaces the previous generated data set (recognised by its users,
username prefix `gen-`, and the groups they own) and leaves everything else alone, the demo of
`seed_demo` included. Modules by domain: `accounts` (groups, hierarchy, figures), `users` (our
colleagues and account teams), `people` (stakeholders, positions, influence links), `contacts`
(relationships, interactions, gives), `planning` (plans, activities, requests); `names` holds the
word lists, `world` what has been generated so far, `bulk` writes rows fast, `cleanup` removes
the previous set, `build` runs it all.
"""

from kam.top.generator.build import SIZES, Result, generate

__all__ = ["SIZES", "Result", "generate"]
