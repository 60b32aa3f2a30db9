"""Our side: key account managers, sales leadership and regional colleagues (all with the
username prefix `gen-` and no usable password), the account team of every group, and how many
hours a week each colleague gives to key account work."""

from collections import Counter
from decimal import Decimal

from kam.top.generator import names
from kam.top.generator.world import Colleague, Group, World, ascii_slug, weighted

PREFIX = "gen-"
GROUPS_PER_KAM = 4
GROUPS_PER_REGIONAL = 2
MAX_LOCAL_MANAGERS = 4
MIN_TEAM = 4  # colleagues per group, so that people have several relationships on our side
SPONSORED = 0.35  # share of groups with an executive sponsor from leadership
KAM_HOURS = (16, 20, 24, 30)
REGIONAL_HOURS = (4, 6, 8, 10, 12)

USER_COLUMNS = ("id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
                "is_staff", "is_active", "date_joined", "role", "country")  # fmt: skip


def plan_colleagues(world: World) -> None:
    """KAMs and leadership (the groups need their owners) with ids for everybody; the regional
    colleagues follow once the groups' countries are known (`plan_regionals`)."""
    rng, groups = world.rng, world.size.groups
    kams = max(1, round(groups / GROUPS_PER_KAM))
    world.next_user_id = world.loader.reserve_ids("kam_user", kams + world.size.leaders + _regionals(world))
    for _ in range(kams):
        country = "DE" if rng.random() < 0.6 else weighted(rng, names.HOME_COUNTRIES)
        world.kams.append(_colleague(world, "kam", country))
    for _ in range(world.size.leaders):
        world.leaders.append(_colleague(world, "leadership", rng.choice(("DE", "DE", "GB", "US"))))


def plan_regionals(world: World) -> None:
    """Regional colleagues live where the groups have subsidiaries: their countries are drawn in
    proportion to the nodes there."""
    rng = world.rng
    nodes_per_country = dict(sorted(Counter(node.country for g in world.groups for node in g.nodes[2:]).items()))
    for _ in range(_regionals(world)):
        colleague = _colleague(world, "regional", weighted(rng, nodes_per_country))
        world.regionals.append(colleague)
        world.regionals_by_country.setdefault(colleague.country, []).append(colleague)


def write_colleagues(world: World) -> int:
    rng, now = world.rng, world.now
    rows = (
        (c.id, "!", None, False, c.username, c.first_name, c.last_name, _email(c), False, True, now, c.role, c.country)
        for c in world.colleagues
    )
    written = world.loader.insert("kam_user", USER_COLUMNS, rows)
    hours = {"kam": KAM_HOURS, "regional": REGIONAL_HOURS}
    capacities = ((c.id, Decimal(rng.choice(hours[c.role]))) for c in world.colleagues if c.role in hours)
    return written + world.loader.insert("planning_capacity", ("user_id", "hours_per_week"), capacities)


def build_teams(world: World) -> int:
    """The account team of each group: the owner as global KAM, a local account manager on the
    top node of each country where we have a regional colleague, a specialist, sometimes an
    executive sponsor."""
    for index, group in enumerate(world.groups):
        _team(world, group, sponsored=index == 0 or world.rng.random() < SPONSORED)
    now = world.now
    rows = ((now, now, node.id, c.id, role) for group in world.groups for node, c, role in group.team)
    return world.loader.insert(
        "accounts_accountteammember", ("created_at", "updated_at", "account_id", "user_id", "role"), rows
    )


def _team(world: World, group: Group, *, sponsored: bool) -> None:
    rng = world.rng
    root, headquarters = group.nodes[0], group.nodes[1]
    group.team.append((root, group.owner, "global_kam"))
    top_node = {}
    for node in group.nodes[1:]:
        top_node.setdefault(node.country, node)
    per_country = Counter(node.country for node in group.nodes)
    for country in sorted(top_node, key=lambda c: -per_country[c])[:MAX_LOCAL_MANAGERS]:
        if candidates := world.regionals_by_country.get(country):
            group.local[country] = rng.choice(candidates)
            group.team.append((top_node[country], group.local[country], "local_account_manager"))
    if not group.local:  # nobody lives in its countries: someone looks after its biggest one abroad
        country = max(top_node, key=lambda c: (c != group.home, per_country[c]))
        group.local[country] = rng.choice(world.regionals)
        group.team.append((top_node[country], group.local[country], "local_account_manager"))
    others = [c for c in world.kams if c is not group.owner] if rng.random() < 0.5 else []
    specialist = _newcomer(world, group, others or world.regionals)
    if specialist:
        group.team.append((root, specialist, "specialist"))
    if sponsored:
        group.team.append((root, rng.choice(world.leaders), "executive_sponsor"))
    while len(group.colleagues) < MIN_TEAM and (extra := _newcomer(world, group, world.colleagues)):
        group.team.append((headquarters, extra, "executive_sponsor" if extra.role == "leadership" else "specialist"))


def _newcomer(world: World, group: Group, candidates: list[Colleague]) -> Colleague | None:
    """A colleague from `candidates` who is not on the group's team yet."""
    present = {c.id for c in group.colleagues}
    fresh = [c for c in candidates if c.id not in present]
    return world.rng.choice(fresh) if fresh else None


def _regionals(world: World) -> int:
    return max(2, world.size.groups // GROUPS_PER_REGIONAL)


def _colleague(world: World, role: str, country: str) -> Colleague:
    rng, taken = world.rng, world.usernames
    language = names.COUNTRIES[country].language
    first, last = rng.choice(names.FIRST_NAMES[language]), rng.choice(names.LAST_NAMES[language])
    base = PREFIX + f"{ascii_slug(first)}.{ascii_slug(last)}"
    username, number = base, 1
    while username in taken:
        number += 1
        username = f"{base}{number}"
    taken.add(username)
    world.next_user_id += 1
    return Colleague(world.next_user_id - 1, username, first, last, role, country)


def _email(colleague: Colleague) -> str:
    return f"{colleague.username.removeprefix(PREFIX)}@supplier.example"
