"""The article's cast for the demo group: a CEO who signs nothing, the people who really
decide, a rising head of a brand, a Brazilian buyer, and a year of contacts and gives.

Idempotent: people are keyed by name and node, contacts and gives by their text, so a second
run moves their dates back relative to today and adds no rows; contacts a user logged with
the demo people stay.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.models import Account
from kam.models import User
from stakeholders import decay
from stakeholders.models import Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder

R = Stakeholder.BuyingRole
A = Stakeholder.Attitude
K = Interaction.Kind


@dataclass(frozen=True)
class Person:
    key: str
    first_name: str
    last_name: str
    job_title: str
    node: str
    role: str
    influence: int
    attitude: str
    owner: str
    reports_to: str = ""
    rising: bool = False
    previous: tuple[str, str, int] | None = None  # (node, title, years ago) of the job before


# fmt: off
CAST = (
    Person("ceo", "Oliver", "Kranz", "Chief Executive Officer", "Daimler AG", R.INFLUENCER, 5, A.NEUTRAL, "leader"),
    Person("cpo", "Renate", "Falk", "Chief Procurement Officer", "Daimler AG", R.ECONOMIC_BUYER, 5, A.NEUTRAL, "kam",
           reports_to="ceo"),
    Person("assistant", "Jana", "Brandt", "Executive Assistant to the CEO", "Daimler AG", R.GATEKEEPER, 2, A.SUPPORTER,
           "kam", reports_to="ceo"),
    Person("production", "Markus", "Vogel", "Head of Production Planning", "Mercedes-Benz Cars", R.DECISION_MAKER, 5,
           A.CHAMPION, "kam", reports_to="ceo"),
    Person("plant", "Stefanie", "Lang", "Plant Manager", "Mercedes-Benz Werk Sindelfingen", R.DECISION_MAKER, 4,
           A.SUPPORTER, "kam", reports_to="production"),
    Person("it", "Tobias", "Reuter", "Head of Manufacturing IT", "Mercedes-Benz Cars", R.TECHNICAL_BUYER, 3, A.SKEPTIC,
           "kam", reports_to="production"),
    Person("eq", "Lea", "Hoffmann", "Head of Operations Mercedes-EQ", "Mercedes-EQ", R.INFLUENCER, 3, A.SUPPORTER,
           "kam", reports_to="production", rising=True, previous=("Mercedes-Benz Werk Sindelfingen", "Shift Lead Body Shop", 2)),
    Person("quality", "Frank", "Gerber", "Head of Quality", "Daimler Truck", R.DECISION_MAKER, 4, A.OPPONENT, "kam"),
    Person("truck_buyer", "Petra", "Schulz", "Lead Buyer Automation", "Daimler Truck", R.ECONOMIC_BUYER, 3, A.NEUTRAL,
           "kam", reports_to="quality"),
    Person("br_buyer", "Ana", "Ribeiro", "Compradora Sênior", "Mercedes-Benz do Brasil", R.ECONOMIC_BUYER, 3, A.SUPPORTER,
           "regional"),
    Person("br_plant", "Carlos", "Mendes", "Gerente de Planta", "Mercedes-Benz Iracemápolis", R.DECISION_MAKER, 3,
           A.NEUTRAL, "regional", reports_to="br_buyer"),
    Person("fuso", "Kenji", "Watanabe", "Production Engineering Manager", "Mitsubishi Fuso Truck and Bus",
           R.TECHNICAL_BUYER, 2, A.NEUTRAL, "kam"),
    Person("mobility", "Nina", "Albers", "Product Owner Fleet Software", "Daimler Mobility", R.USER, 2, A.CHAMPION, "kam"),
    # The rest of the portfolio (accounts.demo.PORTFOLIO).
    Person("bosch_cpo", "Claudia", "Reinhardt", "Head of Purchasing Automation", "Robert Bosch GmbH", R.ECONOMIC_BUYER, 5,
           A.SUPPORTER, "kam"),
    Person("bosch_plant", "Jürgen", "Haas", "Plant Director", "Bosch Rexroth", R.DECISION_MAKER, 4, A.CHAMPION, "kam"),
    Person("bosch_hu", "Péter", "Kovács", "Maintenance Manager", "Bosch Automotive Hungary", R.USER, 2, A.SUPPORTER,
           "kam"),
    Person("siemens_cto", "Helena", "Brandl", "Chief Technology Officer", "Siemens AG", R.DECISION_MAKER, 5, A.NEUTRAL,
           "leader"),
    Person("siemens_buyer", "Florian", "Metz", "Strategic Buyer", "Siemens AG", R.ECONOMIC_BUYER, 4, A.SKEPTIC, "kam"),
    Person("healthineers", "Ines", "Wolter", "Head of Manufacturing Engineering", "Siemens Healthineers",
           R.DECISION_MAKER, 4, A.NEUTRAL, "kam"),
    Person("vw_production", "Stefan", "Krüger", "Head of Production Technology", "Volkswagen AG", R.DECISION_MAKER, 5,
           A.CHAMPION, "kam"),
    Person("vw_buyer", "Anja", "Seidel", "Commodity Manager Automation", "Volkswagen AG", R.ECONOMIC_BUYER, 4,
           A.SUPPORTER, "kam"),
    Person("audi", "Thomas", "Eder", "Head of Body Shop Planning", "Audi", R.DECISION_MAKER, 4, A.SUPPORTER, "kam"),
    Person("vw_br", "Paulo", "Santos", "Gerente de Manutenção", "Volkswagen do Brasil", R.TECHNICAL_BUYER, 3,
           A.SUPPORTER, "regional"),
    Person("stellantis", "Marco", "Ricci", "Purchasing Director Powertrain", "Stellantis N.V.", R.ECONOMIC_BUYER, 4,
           A.SKEPTIC, "kam"),
    Person("opel", "Sabine", "Keller", "Plant Engineering Manager", "Opel Automobile", R.DECISION_MAKER, 3, A.NEUTRAL,
           "kam"),
)

# (from, kind, to, strength): the politics next to the org chart.
LINKS = (
    ("ceo", InfluenceLink.Kind.INFLUENCES, "cpo", 3),
    ("cpo", InfluenceLink.Kind.RIVAL, "production", 2),
    ("eq", InfluenceLink.Kind.ALLIED, "production", 3),
    ("assistant", InfluenceLink.Kind.INFLUENCES, "ceo", 1),
    ("quality", InfluenceLink.Kind.INFLUENCES, "truck_buyer", 3),
)

# Contacts: (person keys, colleagues, every N days, first day back, last day back, kinds, topic).
# The last day back decides how warm each relationship is today.
RHYTHMS = (
    (("production",), ("kam",), 21, 360, 6, (K.MEETING, K.CALL, K.VISIT), "Automation roadmap for the next model series"),
    (("plant",), ("kam",), 28, 350, 12, (K.VISIT, K.CALL), "Line audit and retrofit planning in Sindelfingen"),
    (("eq", "production"), ("kam",), 45, 300, 20, (K.MEETING, K.EVENT), "Battery assembly: where automation pays first"),
    (("cpo",), ("kam", "leader"), 60, 340, 95, (K.MEETING, K.EMAIL), "Frame agreement and price review"),
    (("ceo",), ("leader",), 120, 330, 75, (K.EVENT, K.MEETING), "Supplier day and the innovation partnership"),
    (("it",), ("kam",), 40, 320, 50, (K.CALL, K.EMAIL), "MES integration and data security questions"),
    (("quality",), ("kam",), 90, 300, 150, (K.MEETING,), "Complaint about drive units, 8D report"),
    (("truck_buyer",), ("kam",), 50, 280, 33, (K.CALL, K.EMAIL), "Tender for the truck body line"),
    (("br_buyer",), ("regional",), 20, 250, 4, (K.VISIT, K.CALL), "Spare parts availability for São Bernardo"),
    (("br_plant",), ("regional",), 35, 200, 25, (K.VISIT,), "Iracemápolis: service contract for the new line"),
    (("mobility",), ("kam",), 60, 240, 40, (K.CALL,), "Fleet software pilot feedback"),
    (("bosch_cpo",), ("kam",), 30, 340, 9, (K.MEETING, K.CALL), "Annual frame agreement and the 2027 price round"),
    (("bosch_plant",), ("kam",), 25, 300, 3, (K.VISIT, K.CALL), "Rexroth: retrofit of the hydraulics assembly"),
    (("bosch_hu",), ("kam",), 60, 200, 70, (K.CALL, K.EMAIL), "Spare parts stock in Hatvan"),
    (("siemens_cto",), ("leader",), 180, 330, 150, (K.EVENT,), "Industry forum: automation partnership"),
    (("siemens_buyer",), ("kam",), 90, 260, 80, (K.EMAIL, K.CALL), "Supplier qualification, first RFQ"),
    (("vw_production",), ("kam",), 20, 350, 5, (K.MEETING, K.VISIT), "Next-generation body shop: our concept"),
    (("vw_buyer",), ("kam",), 30, 320, 14, (K.MEETING, K.EMAIL), "Volume contract automation 2027"),
    (("audi",), ("kam",), 35, 300, 20, (K.VISIT,), "Ingolstadt line upgrade"),
    (("vw_br",), ("regional",), 40, 200, 18, (K.VISIT, K.CALL), "Service contract São Bernardo"),
    (("stellantis",), ("kam",), 90, 330, 130, (K.MEETING,), "Price complaint and the next tender"),
    (("opel",), ("kam",), 120, 300, 200, (K.CALL,), "Rüsselsheim: maintenance questions"),
)
SENTIMENTS = (Interaction.Sentiment.POSITIVE, Interaction.Sentiment.NEUTRAL, Interaction.Sentiment.POSITIVE,
              Interaction.Sentiment.NEGATIVE, Interaction.Sentiment.NEUTRAL)

# (person, colleague, direction, kind, days back, description): the article's pay-forward list.
GIVES = (
    ("production", "kam", "given", Give.Kind.INTRODUCTION, 200, "Introduced him to the head of automation at a non-competing OEM."),
    ("production", "kam", "received", Give.Kind.RECOMMENDATION, 120, "Recommended us to the Mercedes-EQ team."),
    ("eq", "kam", "given", Give.Kind.EXPERT_ACCESS, 60, "Two hours with our battery-assembly expert."),
    ("plant", "kam", "given", Give.Kind.INFORMATION, 45, "Benchmark study on paint-shop energy use."),
    ("cpo", "kam", "given", Give.Kind.NEWS_POINTER, 150, "Pointed her to the new EU supply-chain rules summary."),
    ("it", "kam", "given", Give.Kind.EXPERT_ACCESS, 90, "Call with our OT-security architect."),
    ("br_buyer", "regional", "given", Give.Kind.INFORMATION, 30, "Import duty changes for automation parts."),
    ("br_buyer", "regional", "received", Give.Kind.INTRODUCTION, 15, "Introduced us to the Iracemápolis plant manager."),
    ("ceo", "leader", "given", Give.Kind.RECOMMENDATION, 180, "Recommended him as keynote speaker for the industry forum."),
)
# fmt: on


def seed_people(*, accounts: dict[str, Account], users: dict[str, User], now: datetime) -> dict[str, Stakeholder]:
    people = {person.key: _seed_person(person, accounts, users, now) for person in CAST}
    for person in CAST:
        manager = people[person.reports_to] if person.reports_to else None
        Stakeholder.objects.filter(pk=people[person.key].pk).update(reports_to=manager)
    for source, kind, target, strength in LINKS:
        InfluenceLink.objects.update_or_create(
            source=people[source], target=people[target], kind=kind, defaults={"strength": strength}
        )
    for keys, colleagues, every, first, last, kinds, topic in RHYTHMS:
        _seed_rhythm([people[k] for k in keys], [users[c] for c in colleagues], every, first, last, kinds, topic, now)
    for key, colleague, direction, kind, days_back, description in GIVES:
        Give.objects.update_or_create(
            stakeholder=people[key],
            user=users[colleague],
            description=description,
            defaults={"direction": direction, "kind": kind, "occurred_at": now - timedelta(days=days_back)},
        )
    decay.recompute(stakeholder_ids=[p.pk for p in people.values()], now=now)
    return people


def _seed_person(person: Person, accounts: dict[str, Account], users: dict[str, User], now: datetime) -> Stakeholder:
    account = accounts[person.node]
    # Keyed by name within the demo's groups: a namesake elsewhere (generated data) is not the cast.
    demo_people = Stakeholder.objects.filter(account__in=accounts.values())
    stakeholder, _created = demo_people.update_or_create(
        first_name=person.first_name,
        last_name=person.last_name,
        defaults={
            "account": account,
            "job_title": person.job_title,
            "email": f"{person.first_name}.{person.last_name}@example.com".lower(),
            "buying_role": person.role,
            "influence": person.influence,
            "attitude": person.attitude,
            "rising": person.rising,
            "cadence_days": Stakeholder.DEFAULT_CADENCE_DAYS[person.role],
            "relationship_owner": users[person.owner],
        },
    )
    today = now.date()
    started = today - timedelta(days=400)
    if person.previous:
        node, title, years = person.previous
        earlier = today - timedelta(days=365 * years)
        Position.objects.update_or_create(
            stakeholder=stakeholder,
            job_title=title,
            defaults={"account": accounts[node], "started_on": earlier - timedelta(days=900), "ended_on": earlier},
        )
        started = earlier
    Position.objects.update_or_create(
        stakeholder=stakeholder,
        ended_on=None,
        defaults={"account": account, "job_title": person.job_title, "started_on": started},
    )
    Relationship.objects.get_or_create(user=users[person.owner], stakeholder=stakeholder)
    return stakeholder


def _seed_rhythm(people, colleagues, every, first, last, kinds, topic, now) -> None:
    days_back = list(range(first, last - 1, -every))
    if days_back[-1] != last:
        days_back.append(last)
    for number, days in enumerate(days_back):
        kind = kinds[number % len(kinds)]
        summary = f"{topic} ({number + 1}/{len(days_back)})"
        interaction, _created = Interaction.objects.update_or_create(
            account=people[0].account,
            summary=summary,
            defaults={
                "kind": kind,
                "occurred_at": now - timedelta(days=days, hours=number % 5),
                "sentiment": SENTIMENTS[number % len(SENTIMENTS)],
                "logged_by": colleagues[0],
            },
        )
        interaction.stakeholders.set(people)
        interaction.colleagues.set(colleagues)
    Relationship.objects.bulk_create(
        [Relationship(user=c, stakeholder=p) for c in colleagues for p in people], ignore_conflicts=True
    )
