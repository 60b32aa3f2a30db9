"""The article's example customer group (Daimler) and four more key accounts of the same KAM, with
the demo users, product lines, two years of figures and the account team (called by `seed_demo`).

Idempotent: accounts are keyed by name + parent, users by username, product lines by code,
figures by account × product line × year, so a second run changes values back to the demo's
but adds no rows. The users (kam.models) are seeded here, by the lowest app's demo, so that every
app's demo can name them.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import Account, AccountTeamMember, Potential, ProductLine, Revenue
from kam.models import User

K = Account.Kind

PRODUCT_LINES = {
    "AUT": "Automation systems",
    "SW": "Production software",
    "SRV": "Service contracts",
    "TRN": "Training",
    "LOG": "Intralogistics",
}

# username: (role, country, first name, last name)
USERS = {
    "kam": (User.Role.KAM, "DE", "Katrin", "Amsel"),
    "leader": (User.Role.LEADERSHIP, "DE", "Lukas", "Brenner"),
    "regional": (User.Role.REGIONAL, "BR", "Rafael", "Costa"),
    "admin": (User.Role.ADMIN, "", "Ada", "Admin"),
}

# Figures of the current year per product line: (revenue, potential, confidence %), amounts
# in thousands. A revenue of None is whitespace: potential we have not tapped yet.
Figures = dict[str, tuple[int | None, int, int]]


@dataclass(frozen=True)
class Node:
    name: str
    kind: str
    country: str
    city: str
    figures: Figures = field(default_factory=dict)
    children: tuple["Node", ...] = ()
    share: int | None = None  # ownership share in %, participations only
    key_account: bool = False


# fmt: off
DAIMLER = Node("Daimler", K.GROUP, "DE", "Stuttgart", key_account=True, children=(
    Node("Daimler AG", K.HEADQUARTERS, "DE", "Stuttgart-Untertürkheim", {
        "AUT": (4_200, 6_500, 80), "SW": (1_800, 3_200, 70), "SRV": (950, 1_200, 90),
        "TRN": (240, 400, 60), "LOG": (None, 2_500, 40),
    }, children=(
        Node("Mercedes-Benz Cars", K.SUBSIDIARY, "DE", "Stuttgart", {
            "AUT": (2_600, 4_800, 70), "SW": (700, 1_900, 60), "SRV": (520, 700, 80),
        }, children=(
            Node("Mercedes-AMG", K.BRAND, "DE", "Affalterbach", {
                "AUT": (380, 900, 60), "SW": (None, 350, 50), "TRN": (40, 60, 70),
            }),
            Node("Mercedes-Maybach", K.BRAND, "DE", "Sindelfingen", {
                "AUT": (None, 600, 40), "SRV": (60, 120, 60),
            }),
            # Training sold better than we estimated: revenue above potential is possible.
            Node("smart", K.BRAND, "DE", "Böblingen", {
                "AUT": (150, 400, 50), "TRN": (55, 40, 50),
            }),
            Node("Mercedes-EQ", K.BRAND, "DE", "Stuttgart", {
                "AUT": (None, 2_200, 50), "SW": (None, 1_100, 40), "LOG": (None, 800, 30),
            }),
            Node("Mercedes-Benz Werk Sindelfingen", K.BRANCH, "DE", "Sindelfingen", {
                "AUT": (1_100, 1_600, 80), "SRV": (310, 400, 90), "LOG": (90, 650, 50),
            }),
            Node("Mercedes-Benz U.S. International", K.SUBSIDIARY, "US", "Vance", {
                "AUT": (600, 2_400, 50), "SW": (120, 700, 40), "SRV": (80, 300, 60),
            }),
        )),
        Node("Mercedes-Benz Vans", K.SUBSIDIARY, "DE", "Stuttgart", {
            "AUT": (None, 1_400, 50), "LOG": (None, 500, 30),
        }),
        Node("Daimler Truck", K.SUBSIDIARY, "DE", "Leinfelden-Echterdingen", {
            "AUT": (1_300, 3_000, 70), "SW": (400, 900, 60), "SRV": (260, 450, 80), "TRN": (70, 150, 60),
        }, children=(
            Node("Mitsubishi Fuso Truck and Bus", K.SUBSIDIARY, "JP", "Kawasaki", {
                "AUT": (None, 1_800, 40), "SW": (90, 600, 40), "SRV": (None, 250, 30),
            }),
            Node("Daimler Buses", K.SUBSIDIARY, "DE", "Neu-Ulm", {
                "AUT": (310, 700, 60), "SRV": (140, 180, 80),
            }),
            Node("Mercedes-Benz do Brasil", K.SUBSIDIARY, "BR", "São Bernardo do Campo", {
                "AUT": (480, 1_500, 60), "SW": (60, 400, 50), "SRV": (110, 200, 70), "TRN": (25, 80, 50),
            }, children=(
                Node("Mercedes-Benz Iracemápolis", K.BRANCH, "BR", "Iracemápolis", {
                    "AUT": (35, 180, 50), "SRV": (12, 30, 60), "TRN": (None, 20, 40),
                }),
            )),
        )),
        Node("Daimler Mobility", K.SUBSIDIARY, "DE", "Stuttgart", {
            "SW": (220, 600, 60), "SRV": (45, 90, 70),
        }, children=(
            Node("YOUR NOW Holding", K.PARTICIPATION, "DE", "Berlin", {
                "SW": (150, 800, 50),
            }, share=50, children=(
                Node("car2go / SHARE NOW", K.PARTICIPATION, "DE", "Berlin", {
                    "SW": (95, 400, 50), "SRV": (30, 60, 60), "LOG": (None, 120, 30),
                }, share=75),
                Node("mytaxi / FREE NOW", K.PARTICIPATION, "DE", "Hamburg", {
                    "SW": (60, 350, 40), "TRN": (None, 40, 40),
                }, share=60),
            )),
        )),
    )),
))

# Four more key accounts of the same KAM, so that the portfolio has something to compare: a group
# that buys much and is well connected, one with great potential and no friends yet, one we
# have nearly fully won, and one that is small for us and going cold.
PORTFOLIO = (
    Node("Bosch", K.GROUP, "DE", "Gerlingen", key_account=True, children=(
        Node("Robert Bosch GmbH", K.HEADQUARTERS, "DE", "Gerlingen", {
            "AUT": (2_100, 3_400, 80), "SW": (900, 1_500, 70), "SRV": (640, 800, 90),
        }, children=(
            Node("Bosch Rexroth", K.SUBSIDIARY, "DE", "Lohr am Main", {
                "AUT": (1_200, 2_600, 70), "LOG": (None, 900, 40),
            }),
            Node("Bosch Automotive Hungary", K.BRANCH, "HU", "Hatvan", {"AUT": (300, 700, 60), "SRV": (90, 150, 70)}),
        )),
    )),
    Node("Siemens", K.GROUP, "DE", "München", key_account=True, children=(
        Node("Siemens AG", K.HEADQUARTERS, "DE", "München", {
            "AUT": (400, 6_000, 40), "SW": (150, 3_500, 30),
        }, children=(
            Node("Siemens Healthineers", K.PARTICIPATION, "DE", "Erlangen", {
                "AUT": (None, 2_800, 40), "LOG": (None, 1_200, 30),
            }, share=75),
            Node("Siemens Mobility", K.SUBSIDIARY, "DE", "München", {"AUT": (120, 2_200, 40), "SRV": (60, 500, 50)}),
        )),
    )),
    Node("Volkswagen Group", K.GROUP, "DE", "Wolfsburg", key_account=True, children=(
        Node("Volkswagen AG", K.HEADQUARTERS, "DE", "Wolfsburg", {
            "AUT": (3_900, 4_500, 80), "SW": (1_100, 1_300, 80), "SRV": (800, 850, 90), "TRN": (150, 180, 70),
        }, children=(
            Node("Audi", K.BRAND, "DE", "Ingolstadt", {"AUT": (1_400, 1_700, 80), "SRV": (300, 320, 90)}),
            Node("Volkswagen do Brasil", K.SUBSIDIARY, "BR", "São Bernardo do Campo", {"AUT": (450, 600, 60)}),
        )),
    )),
    Node("Stellantis", K.GROUP, "NL", "Amsterdam", key_account=True, children=(
        Node("Stellantis N.V.", K.HEADQUARTERS, "NL", "Amsterdam", {
            "AUT": (350, 600, 50), "SRV": (80, 120, 60),
        }, children=(
            Node("Opel Automobile", K.SUBSIDIARY, "DE", "Rüsselsheim", {"AUT": (210, 400, 50), "TRN": (20, 40, 50)}),
        )),
    )),
)
# fmt: on

# (years back, revenue factor, potential factor): the previous year is derived from the
# current one so that every node shows a trend without doubling the table above.
YEARS = ((0, Decimal("1"), Decimal("1")), (1, Decimal("0.88"), Decimal("0.95")))

# Every key account of the demo, the article's group first.
GROUPS = (DAIMLER, *PORTFOLIO)


def seed_accounts(*, users: dict[str, User], year: int) -> dict[str, Account]:
    """The product lines, every node of GROUPS with its figures for `year` and the year before,
    and the account team; returns the accounts by name (names are unique in the demo)."""
    product_lines = seed_product_lines()
    accounts: dict[str, Account] = {}
    for group in GROUPS:
        seed_node(group, parent=None, owner=users["kam"], product_lines=product_lines, year=year, into=accounts)
    seed_team(accounts, users)
    return accounts


def seed_users(password: str) -> dict[str, User]:
    users = {}
    for username, (role, country, first_name, last_name) in USERS.items():
        is_admin = role == User.Role.ADMIN
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "country": country,
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.com",
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        users[username] = user
    return users


def seed_product_lines() -> dict[str, ProductLine]:
    return {
        code: ProductLine.objects.update_or_create(code=code, defaults={"name": name, "is_active": True})[0]
        for code, name in PRODUCT_LINES.items()
    }


def seed_node(
    node: Node,
    *,
    parent: Account | None,
    owner: User | None,
    product_lines: dict[str, ProductLine],
    year: int,
    into: dict[str, Account],
) -> None:
    """Create or reset `node` under `parent`, its figures and its subtree; collect the accounts
    by name in `into` (names are unique in the demo)."""
    account, _created = Account.objects.update_or_create(
        name=node.name,
        parent=parent,
        defaults={
            "kind": node.kind,
            "country": node.country,
            "city": node.city,
            "ownership_share": None if node.share is None else Decimal(node.share),
            "owner": owner,
            "is_key_account": node.key_account,
            "archived_at": None,
        },
    )
    into[node.name] = account
    for code, (revenue, potential, confidence) in node.figures.items():
        for years_back, revenue_factor, potential_factor in YEARS:
            seed_figure_cell(
                account,
                product_lines[code],
                year - years_back,
                revenue=None if revenue is None else thousands(revenue, revenue_factor),
                potential=thousands(potential, potential_factor),
                confidence=confidence,
            )
    for child in node.children:
        seed_node(child, parent=account, owner=None, product_lines=product_lines, year=year, into=into)


def seed_figure_cell(
    account: Account,
    product_line: ProductLine,
    year: int,
    *,
    revenue: Decimal | None,
    potential: Decimal,
    confidence: int,
) -> None:
    cell = {"account": account, "product_line": product_line, "year": year}
    if revenue is None:
        Revenue.objects.filter(**cell).delete()
    else:
        Revenue.objects.update_or_create(**cell, defaults={"amount": revenue})
    Potential.objects.update_or_create(**cell, defaults={"amount": potential, "confidence": confidence})


def thousands(amount: int, factor: Decimal) -> Decimal:
    # Whole thousands, so that derived figures still look like estimates.
    return (Decimal(amount) * factor).quantize(Decimal(1)) * 1000


def seed_team(accounts: dict[str, Account], users: dict[str, User]) -> None:
    Role = AccountTeamMember.Role
    for account_name, username, role in (
        ("Daimler", "kam", Role.GLOBAL_KAM),
        ("Daimler", "leader", Role.EXECUTIVE_SPONSOR),
        ("Mercedes-Benz do Brasil", "regional", Role.LOCAL_ACCOUNT_MANAGER),
    ):
        AccountTeamMember.objects.update_or_create(
            account=accounts[account_name], user=users[username], defaults={"role": role}
        )


def walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from walk(child)
