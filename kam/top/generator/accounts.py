"""Customer groups: the hierarchy of each group, its names and places, and the revenue and
potential of every node per product line for this year and the last."""

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from accounts.demo import PRODUCT_LINES
from accounts.models import ProductLine
from kam.top.generator import names
from kam.top.generator.world import Group, Node, Weights, World

# What hangs below a node of each kind (weights). The first child of the group is always its
# headquarters; most of a group hangs below that.
CHILD_KINDS = {
    "group": Weights({"subsidiary": 70, "participation": 30}),
    "headquarters": Weights({"subsidiary": 55, "brand": 20, "branch": 15, "participation": 10}),
    "subsidiary": Weights({"subsidiary": 30, "branch": 40, "brand": 15, "participation": 15}),
    "brand": Weights({"branch": 60, "subsidiary": 30, "brand": 10}),
    "branch": Weights({"branch": 75, "subsidiary": 25}),
    "participation": Weights({"subsidiary": 50, "participation": 25, "branch": 25}),
}
HOME_COUNTRIES, FOREIGN_COUNTRIES = Weights(names.HOME_COUNTRIES), Weights(names.FOREIGN_COUNTRIES)
# How likely a child of each kind sits in its parent's country rather than abroad.
STAYS_HOME = {"subsidiary": 0.45, "branch": 0.85, "brand": 0.8, "participation": 0.5, "headquarters": 1.0}
UNDER_HEADQUARTERS = 0.6  # share of the nodes drawn to the group itself that go below the headquarters
SHALLOW = 0.8  # a node one level further down is this much less likely to get another child

# Figures: how much a node of each kind could buy in thousands (automation line, second level),
# how likely it has a potential at all per product line, and how the product lines compare.
KIND_SCALE = {"group": 1500, "headquarters": 4000, "subsidiary": 1500, "brand": 700, "branch": 500,
              "participation": 800}  # fmt: skip
POTENTIAL_ODDS = {"group": 0.1, "headquarters": 0.9, "subsidiary": 0.7, "brand": 0.55, "branch": 0.55,
                  "participation": 0.5}  # fmt: skip
LINE_SCALE = {"AUT": 1.0, "SW": 0.45, "SRV": 0.3, "TRN": 0.08, "LOG": 0.5}
LEVEL_DECAY = 0.7  # each level further down buys this much of the one above
TAPPED = 0.65  # share of the cells with potential where we sell already
ABOVE_POTENTIAL = 0.06  # share of those where we sell more than was estimated
CONFIDENCES = (30, 40, 50, 60, 70, 80, 90)
GROUPS_PER_BATCH = 100

ACCOUNT_COLUMNS = ("id", "created_at", "updated_at", "name", "kind", "parent_id", "country", "city",
                   "ownership_share", "owner_id", "is_key_account", "archived_at")  # fmt: skip


def ensure_product_lines(world: World) -> int:
    """The five product lines of the demo (accounts.demo), keyed by code: harmless next to the demo."""
    for code, name in PRODUCT_LINES.items():
        line, _created = ProductLine.objects.update_or_create(code=code, defaults={"name": name, "is_active": True})
        world.product_lines[code] = line.pk
    return len(world.product_lines)


def build_groups(world: World) -> int:
    """Lay out every group in memory (nodes with ids, names, places) and write the accounts."""
    rng, size = world.rng, world.size
    first_id = world.loader.reserve_ids("accounts_account", size.nodes)
    stems = _stems(world, size.groups)
    next_id = first_id
    for index, (count, levels) in enumerate(_layout(world)):
        owner = world.kams[index % len(world.kams)] if index < len(world.kams) else rng.choice(world.kams)
        group = Group(stem=stems[index], home=HOME_COUNTRIES.draw(rng), owner=owner)
        _grow(world, group, next_id, count, levels)
        next_id += count
        world.groups.append(group)
    return world.loader.insert("accounts_account", ACCOUNT_COLUMNS, _account_rows(world))


def _layout(world: World) -> list[tuple[int, int]]:
    """(nodes, levels) per group: the big one first, then the others with skewed sizes that add
    up exactly to the total."""
    rng, size = world.rng, world.size
    big_nodes, big_levels = size.big_group
    count, rest = size.groups - 1, size.nodes - big_nodes
    minimum = min(6, rest // count)
    weights = [rng.lognormvariate(0, 0.45) for _ in range(count)]
    spread, total = rest - minimum * count, sum(weights)
    sizes = [minimum + int(spread * w / total) for w in weights]
    for i in range(rest - sum(sizes)):  # what rounding down left over
        sizes[i % count] += 1
    deepest = min(6, big_levels - 1)
    return [(big_nodes, big_levels)] + [(n, rng.randint(min(3, n), min(deepest, n))) for n in sizes]


def _stems(world: World, count: int) -> list[str]:
    stems = [p + s for p in names.STEM_PREFIXES for s in names.STEM_SUFFIXES]
    world.rng.shuffle(stems)
    # Beyond the ~1,100 combinations names repeat; unique within a group is what counts.
    return [stems[i % len(stems)] for i in range(count)]


def _grow(world: World, group: Group, first_id: int, count: int, levels: int) -> None:
    """A random tree of `count` nodes exactly `levels` deep: a spine from the group down to the
    deepest level, then each further node below a node drawn among those not yet at the bottom,
    the higher up the likelier (most of a big group sits in its middle levels, a few go deep)."""
    rng = world.rng
    parents, depth = [-1, *range(levels - 1)], list(range(1, levels + 1))
    open_nodes = [i for i in range(levels) if depth[i] < levels]
    for i in range(levels, count):
        parent = rng.choice(open_nodes)
        while rng.random() >= SHALLOW ** (depth[parent] - 1):
            parent = rng.choice(open_nodes)
        if parent == 0 and rng.random() < UNDER_HEADQUARTERS:
            parent = 1
        parents.append(parent)
        depth.append(depth[parent] + 1)
        if depth[i] < levels:
            open_nodes.append(i)
    taken: set[str] = set()
    for i in range(count):
        parent = group.nodes[parents[i]] if i else None
        kind = "group" if i == 0 else "headquarters" if i == 1 else CHILD_KINDS[parent.kind].draw(rng)
        node = Node(id=first_id + i, group=group, parent=parent, level=depth[i], kind=kind)
        _place(world, node)
        node.name = _unique(world, node, taken)
        if kind == "participation":
            node.share = Decimal(rng.randrange(1000, 9001, 25)) / 100
        group.nodes.append(node)


def _place(world: World, node: Node) -> None:
    rng, parent = world.rng, node.parent
    if parent is None:
        node.country = node.group.home
        node.city = rng.choice(names.COUNTRIES[node.country].cities)
    elif rng.random() < STAYS_HOME[node.kind]:
        node.country = parent.country
        same_city = node.kind == "headquarters" or rng.random() < 0.4
        node.city = parent.city if same_city else rng.choice(names.COUNTRIES[node.country].cities)
    else:
        node.country = FOREIGN_COUNTRIES.draw(rng)
        node.city = rng.choice(names.COUNTRIES[node.country].cities)


def _name(world: World, node: Node) -> str:
    rng, stem = world.rng, node.group.stem
    country = names.COUNTRIES[node.country]
    legal = rng.choice(country.legal_forms)
    abroad = node.parent is not None and node.country != node.parent.country
    if node.kind == "group":
        return rng.choice(names.GROUP_FORMS).format(stem=stem)
    if node.kind == "headquarters":
        return f"{stem} {country.legal_forms[0]}"
    if node.kind == "subsidiary":
        if abroad and rng.random() < 0.7:
            return f"{stem} {country.local_name} {legal}"
        return f"{stem} {rng.choice(names.SECTORS)} {legal}"
    if node.kind == "brand":
        brand = rng.choice(names.BRAND_WORDS)
        return brand if rng.random() < 0.4 else f"{stem} {brand}"
    if node.kind == "branch":
        site = country.site if rng.random() < 0.7 else rng.choice(names.UNIT_WORDS)
        return f"{stem} {site} {node.city}"
    partner = rng.choice(names.STEM_PREFIXES) + rng.choice(names.STEM_SUFFIXES)
    joint = f"{stem}-{partner}" if rng.random() < 0.5 else partner
    return f"{joint} {rng.choice(names.SECTORS)} {legal}"


def _unique(world: World, node: Node, taken: set[str]) -> str:
    """A name not yet used in the group: drawn again a few times, numbered as a last resort."""
    for _attempt in range(6):
        name = _name(world, node)
        if name not in taken:
            break
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name} {number}"
    taken.add(candidate)
    return candidate


def _account_rows(world: World) -> Iterator[tuple]:
    now, rng = world.now, world.rng
    for group in world.groups:
        founded = now - timedelta(days=rng.randint(400, 3000))
        for node in group.nodes:
            is_root = node.parent is None
            yield (
                node.id, founded, now, node.name, node.kind, None if is_root else node.parent.id, node.country,
                node.city, node.share, group.owner.id if is_root else None, is_root, None,
            )  # fmt: skip


# --- figures -------------------------------------------------------------------------------------

FIGURE_COLUMNS = ("created_at", "updated_at", "account_id", "product_line_id", "year", "amount")


def build_figures(world: World) -> int:
    """Revenue and potential per node and product line, this year and last, written in batches
    of groups. Returns the number of rows."""
    written = 0
    for start in range(0, len(world.groups), GROUPS_PER_BATCH):
        potentials: list[tuple] = []
        revenues: list[tuple] = []
        for group in world.groups[start : start + GROUPS_PER_BATCH]:
            for node in group.nodes:
                _node_figures(world, node, potentials, revenues)
        written += world.loader.insert("accounts_potential", (*FIGURE_COLUMNS, "confidence"), potentials)
        written += world.loader.insert("accounts_revenue", FIGURE_COLUMNS, revenues)
    return written


def _node_figures(world: World, node: Node, potentials: list[tuple], revenues: list[tuple]) -> None:
    rng, now, year = world.rng, world.now, world.year
    group, sells = node.group, False
    for code, line_id in world.product_lines.items():
        if rng.random() >= POTENTIAL_ODDS[node.kind]:
            continue
        scale = KIND_SCALE[node.kind] * LINE_SCALE.get(code, 0.3) * LEVEL_DECAY ** max(node.level - 2, 0)
        potential = max(5, round(scale * rng.lognormvariate(0, 0.7)))
        confidence = rng.choice(CONFIDENCES)
        last_potential = round(potential * rng.uniform(0.85, 1.0))
        potentials.append((now, now, node.id, line_id, year, Decimal(potential * 1000), confidence))
        potentials.append((now, now, node.id, line_id, year - 1, Decimal(last_potential * 1000), confidence))
        if rng.random() >= TAPPED:
            continue  # whitespace: potential we have not tapped yet
        share = rng.uniform(1.02, 1.4) if rng.random() < ABOVE_POTENTIAL else rng.uniform(0.08, 0.85)
        revenue = max(1, round(potential * share))
        revenues.append((now, now, node.id, line_id, year, Decimal(revenue * 1000)))
        if rng.random() < 0.92:  # the others were won this year
            last = max(1, round(revenue * rng.uniform(0.7, 0.98)))
            revenues.append((now, now, node.id, line_id, year - 1, Decimal(last * 1000)))
        group.revenue[code] = group.revenue.get(code, Decimal(0)) + revenue * 1000
        sells = True
    group.nodes_with_revenue += sells
