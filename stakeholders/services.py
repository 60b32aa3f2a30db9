"""Writes for people, their positions and politics, contacts, gives and relationships.

Same contract as accounts.services: every function takes the acting user; bad input raises
ValidationError with field errors and writes nothing; an account the actor may not change
raises PermissionDenied. Changing people needs the right to change their account; logging a
contact or a give only needs to see the person (a regional colleague logs on their nodes).
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.hierarchy import group_root_ids
from accounts.models import Account
from accounts.recompute import mark_stale
from kam.lib.history import records_actor, single_record
from kam.lib.trash import trash
from kam.models import TrashEntry, User
from kam.visibility import check_may_change_account, may_see_account, restrict_to_visible
from stakeholders import decay
from stakeholders.alerts import watch
from stakeholders.models import Give, InfluenceLink, Interaction, Position, Relationship, Stakeholder
from stakeholders.permissions import may_change_give, may_change_interaction, may_log_contacts

STAKEHOLDER_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "email",
    "phone",
    "reports_to",
    "buying_role",
    "influence",
    "attitude",
    "rising",
    "cadence_days",
    "relationship_owner",
)

# Any constant works: with the group's id it names the lock on that group's reporting lines.
_REPORTING_LOCK = 4_711_002

_MANAGER_CHAIN_SQL = """
WITH RECURSIVE chain(id, reports_to_id) AS (
    SELECT id, reports_to_id FROM stakeholders_stakeholder WHERE id = %s
    UNION ALL
    SELECT s.id, s.reports_to_id FROM stakeholders_stakeholder s JOIN chain ON s.id = chain.reports_to_id
)
SELECT 1 FROM chain WHERE id = %s
"""


# --- people -------------------------------------------------------------------------------


@records_actor
def stakeholder_create(*, actor: User, account: Account, **fields) -> Stakeholder:
    _check_fields_known(fields)
    check_may_change_account(actor, account)
    stakeholder = Stakeholder(account=account, **fields)
    if stakeholder.cadence_days is None and stakeholder.buying_role:
        stakeholder.cadence_days = Stakeholder.DEFAULT_CADENCE_DAYS.get(stakeholder.buying_role)
    stakeholder.full_clean()
    with transaction.atomic():
        _check_reports_to(actor, stakeholder)
        stakeholder.save()
        Position.objects.create(
            stakeholder=stakeholder, account=account, job_title=stakeholder.job_title, started_on=timezone.localdate()
        )
        _ensure_owner_relationship(stakeholder)
        mark_stale([account.pk])
    return stakeholder


@records_actor
def stakeholder_update(*, actor: User, stakeholder: Stakeholder, **fields) -> Stakeholder:
    _check_fields_known(fields)
    check_may_change_account(actor, stakeholder.account)
    if fields.get("cadence_days", stakeholder.cadence_days) is None:
        fields["cadence_days"] = Stakeholder.DEFAULT_CADENCE_DAYS.get(
            fields.get("buying_role", stakeholder.buying_role)
        )
    # An unchanged manager stays valid (the account does not change here), and may lie outside
    # what a team member sees: checking it again would lock them out of editing the person.
    manager_changed = "reports_to" in fields and getattr(fields["reports_to"], "pk", None) != stakeholder.reports_to_id
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    with transaction.atomic():
        # The row first, then the group's reporting lines (the order stakeholder_move takes them too).
        Stakeholder.objects.select_for_update(no_key=True).filter(pk=stakeholder.pk).values_list("pk").first()
        if manager_changed:
            _check_reports_to(actor, stakeholder)
        stakeholder.full_clean()
        stakeholder.save()
        # A corrected title is a correction of the current position, not a new job (that is a move).
        for position in stakeholder.positions.filter(ended_on__isnull=True).exclude(job_title=stakeholder.job_title):
            position.job_title = stakeholder.job_title
            position.save(update_fields=["job_title"])
        _ensure_owner_relationship(stakeholder)
        if "cadence_days" in fields:
            decay.recompute(stakeholder_ids=[stakeholder.pk])
        mark_stale([stakeholder.account_id])  # a new role or influence changes who is a key person
    return stakeholder


@records_actor
def stakeholder_move(
    *,
    actor: User,
    stakeholder: Stakeholder,
    account: Account,
    job_title: str,
    started_on: date | None = None,
    reports_to: Stakeholder | None = None,
) -> Stakeholder:
    """A new job: close the current position, open one at `account` as `job_title`. The person
    stays the same row, so relationships, interactions and gives follow them."""
    check_may_change_account(actor, stakeholder.account)
    check_may_change_account(actor, account)
    started_on = started_on or timezone.localdate()
    with transaction.atomic():
        # Moves of one person wait for each other, so each closes the position that is current
        # when it runs: never two open positions, never an IntegrityError.
        stakeholder = Stakeholder.objects.select_for_update(no_key=True, of=("self",)).get(pk=stakeholder.pk)
        previous_account_id = stakeholder.account_id
        current = stakeholder.positions.filter(ended_on__isnull=True).first()
        _check_move(started_on, job_title, current)
        stakeholder.account = account
        stakeholder.job_title = job_title.strip()
        stakeholder.reports_to = reports_to
        _check_reports_to(actor, stakeholder)
        stakeholder.full_clean()
        if current is not None:
            current.ended_on = started_on
            current.save(update_fields=["ended_on"])
        Position.objects.create(
            stakeholder=stakeholder, account=account, job_title=stakeholder.job_title, started_on=started_on
        )
        stakeholder.save()
        mark_stale([previous_account_id, account.pk])
    return stakeholder


def _check_move(started_on: date, job_title: str, current: Position | None) -> None:
    errors = {}
    if started_on > timezone.localdate():
        errors["started_on"] = _("A new position cannot start in the future.")
    elif current is not None and started_on < current.started_on:
        errors["started_on"] = _("The new position cannot start before the current one (%(date)s).") % {
            "date": current.started_on.isoformat()
        }
    if not job_title.strip():
        errors["job_title"] = _("Name the new job title.")
    if errors:
        raise ValidationError(errors)


@records_actor
def stakeholder_delete(*, actor: User, stakeholder: Stakeholder) -> TrashEntry:
    """Into the trash with everything that hangs on the person: positions, relationships, gives,
    alerts, influence links, their places in contacts and tasks; their reports keep a blank
    manager until the person is restored."""
    check_may_change_account(actor, stakeholder.account)
    with transaction.atomic():
        entry = trash(stakeholder, actor=actor, account_id=stakeholder.account_id, after_restore=PERSON_RESTORED)
        mark_stale([stakeholder.account_id])
    return entry


PERSON_RESTORED = "stakeholders.services.stakeholder_restored"
CONTACT_RESTORED = "stakeholders.services.interaction_restored"
GIVE_RESTORED = "stakeholders.services.give_restored"


def stakeholder_restored(*, entry: TrashEntry, objects: list) -> None:
    """A person is back from the trash: their relationships and alerts as of now, their group's figures."""
    people = [obj for obj in objects if isinstance(obj, Stakeholder)]
    _recompute_people([person.pk for person in people])
    mark_stale([person.account_id for person in people])


def interaction_restored(*, entry: TrashEntry, objects: list) -> None:
    contacts = [obj for obj in objects if isinstance(obj, Interaction)]
    people = Stakeholder.objects.filter(interactions__in=contacts).distinct()
    _recompute_people(list(people.values_list("pk", flat=True)))
    mark_stale([contact.account_id for contact in contacts])


def give_restored(*, entry: TrashEntry, objects: list) -> None:
    gives = [obj for obj in objects if isinstance(obj, Give)]
    people = Stakeholder.objects.filter(pk__in=[give.stakeholder_id for give in gives])
    _recompute_people([give.stakeholder_id for give in gives])
    mark_stale(people.values_list("account_id", flat=True))


def _recompute_people(ids: list[int]) -> None:
    decay.recompute(stakeholder_ids=ids)
    watch.refresh(stakeholder_ids=ids)


def _check_fields_known(fields: dict) -> None:
    unknown = set(fields) - set(STAKEHOLDER_FIELDS)
    if unknown:
        raise ValueError(f"Stakeholder fields {sorted(unknown)} are not set here (the account changes by a move).")


def _check_reports_to(actor: User, stakeholder: Stakeholder) -> None:
    """Call inside the write's transaction: the check holds the group's reporting-line lock
    until the commit, so two edits that would close a loop together run one after the other."""
    manager = stakeholder.reports_to
    if manager is None:
        return
    if not _visible_stakeholders(actor).filter(pk=manager.pk).exists():
        raise ValidationError({"reports_to": _("Choose a person you can see.")})
    roots = group_root_ids({manager.account_id, stakeholder.account_id})
    if roots[manager.account_id] != roots[stakeholder.account_id]:
        raise ValidationError(
            {"reports_to": _("%(manager)s works at another customer group.") % {"manager": manager.full_name}}
        )
    if stakeholder.pk is None:
        return
    _lock_reporting_lines(roots[stakeholder.account_id])
    with connection.cursor() as cursor:
        cursor.execute(_MANAGER_CHAIN_SQL, [manager.pk, stakeholder.pk])
        if cursor.fetchone() is not None:
            raise ValidationError(
                {
                    "reports_to": _("%(manager)s already reports to %(person)s: that would be a reporting cycle.")
                    % {"manager": manager.full_name, "person": stakeholder.full_name}
                }
            )


def _lock_reporting_lines(group_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_REPORTING_LOCK, group_id % 2**31])


def _visible_stakeholders(actor: User):
    return restrict_to_visible(Stakeholder.objects.all(), actor, "account")


# --- influence links ----------------------------------------------------------------------


@records_actor
def influence_link_save(*, actor: User, link: InfluenceLink) -> InfluenceLink:
    visible = _visible_stakeholders(actor)
    for field in ("source", "target"):
        person = getattr(link, field, None)
        if person is not None and not visible.filter(pk=person.pk).exists():
            raise ValidationError({field: _("Choose a person you can see.")})
    check_may_change_account(actor, link.source.account)
    link.full_clean()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:
        raise ValidationError(_("This link already exists.")) from None
    return link


@records_actor
def influence_link_delete(*, actor: User, link: InfluenceLink) -> None:
    check_may_change_account(actor, link.source.account)
    link.delete()  # recorded in the links' history; nothing else hangs on a link


# --- interactions -------------------------------------------------------------------------


@records_actor
def interaction_log(
    *,
    actor: User,
    account: Account,
    kind: str,
    occurred_at: datetime,
    summary: str,
    stakeholders: list[Stakeholder],
    colleagues: list[User] | None = None,
    sentiment: str = Interaction.Sentiment.NEUTRAL,
) -> Interaction:
    """Record a contact with people of `account`'s group. The colleagues default to the actor;
    every colleague × person pair gets a relationship, and their strengths are recomputed."""
    _check_may_log(actor)
    _check_visible_account(actor, account)
    colleagues = list(colleagues) if colleagues else [actor]
    interaction = Interaction(
        account=account, kind=kind, occurred_at=occurred_at, summary=summary, sentiment=sentiment, logged_by=actor
    )
    _check_interaction(actor, interaction, stakeholders, colleagues)
    with transaction.atomic():
        with single_record(interaction):
            interaction.save()
            interaction.stakeholders.set(stakeholders)
            interaction.colleagues.set(colleagues)
        _touch_relationships(colleagues, stakeholders)
    return interaction


@records_actor
def interaction_update(
    *,
    actor: User,
    interaction: Interaction,
    stakeholders: list[Stakeholder] | None = None,
    colleagues: list[User] | None = None,
    **fields,
) -> Interaction:
    _check_may_change_interaction(actor, interaction)
    if "account" in fields:
        _check_visible_account(actor, fields["account"])
    before = set(interaction.stakeholders.values_list("pk", flat=True))
    colleagues_before = set(interaction.colleagues.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(interaction, name, value)
    if stakeholders is None:
        stakeholders = list(Stakeholder.objects.filter(pk__in=before))
    else:
        # The editor never saw the people they may not see, so their new list keeps them.
        hidden = Stakeholder.objects.filter(pk__in=before).exclude(
            pk__in=Stakeholder.objects.visible_to(actor).values("pk")
        )
        stakeholders = [*stakeholders, *hidden]
    colleagues = list(colleagues) if colleagues is not None else list(User.objects.filter(pk__in=colleagues_before))
    _check_interaction(
        actor, interaction, stakeholders, colleagues, kept_people=before, kept_colleagues=colleagues_before
    )
    with transaction.atomic():
        with single_record(interaction):
            interaction.save()
            interaction.stakeholders.set(stakeholders)
            interaction.colleagues.set(colleagues)
        _touch_relationships(colleagues, stakeholders, also_recompute=before)
    return interaction


@records_actor
def interaction_delete(*, actor: User, interaction: Interaction) -> TrashEntry:
    """Into the trash with its people and colleagues, restorable for KAM_TRASH_DAYS."""
    _check_may_change_interaction(actor, interaction)
    people = list(interaction.stakeholders.values_list("pk", flat=True))
    with transaction.atomic():
        entry = trash(
            interaction,
            actor=actor,
            account_id=interaction.account_id,
            after_restore=CONTACT_RESTORED,
            title=f"{interaction} – {interaction.summary[:120]}",
        )
        _recompute_people(people)
        mark_stale([interaction.account_id])
    return entry


def _check_visible_account(actor: User, account: Account) -> None:
    if not Account.objects.visible_to(actor).filter(pk=account.pk).exists():
        raise ValidationError({"account": _("Choose an account you can see.")})


def _check_may_log(actor: User) -> None:
    if not may_log_contacts(actor):
        raise PermissionDenied(_("Sales leadership reads contacts and gives but does not record them."))


def _check_may_change_interaction(actor: User, interaction: Interaction) -> None:
    _check_may_log(actor)
    if not may_change_interaction(actor, interaction):
        raise PermissionDenied(_("You may not change %(account)s.") % {"account": interaction.account.name})


def _check_interaction(
    actor: User,
    interaction: Interaction,
    stakeholders: list[Stakeholder],
    colleagues: list[User],
    kept_people: set[int] = frozenset(),
    kept_colleagues: set[int] = frozenset(),
) -> None:
    # People and colleagues already on a contact stay on it when it is edited, even if the
    # editor cannot see them (a team member of one node) or the colleague has left since.
    errors = {}
    if interaction.occurred_at and interaction.occurred_at > timezone.now():
        errors["occurred_at"] = _("A contact cannot lie in the future.")
    if not stakeholders:
        errors["stakeholders"] = _("Name at least one person you were in touch with.")
    else:
        outsiders = _outside_group(actor, interaction.account, stakeholders, kept_people)
        if outsiders:
            errors["stakeholders"] = outsiders
    inactive = [user.display_name for user in colleagues if not user.is_active and user.pk not in kept_colleagues]
    if inactive:
        errors["colleagues"] = _("No longer active: %(names)s.") % {"names": ", ".join(inactive)}
    else:
        account_id = interaction.account_id
        outsiders = [u for u in colleagues if u.pk not in kept_colleagues and not may_see_account(u, account_id)]
        if outsiders:
            errors["colleagues"] = _("%(names)s cannot see %(account)s: name colleagues who work on it.") % {
                "names": ", ".join(user.display_name for user in outsiders),
                "account": interaction.account.name,
            }
    try:
        interaction.full_clean(exclude=["logged_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def _outside_group(
    actor: User, account: Account, stakeholders: list[Stakeholder], kept: set[int] = frozenset()
) -> list[str]:
    """Messages for the people `actor` may not see (unless `kept`) or who work at another customer group."""
    visible = set(_visible_stakeholders(actor).filter(pk__in=[s.pk for s in stakeholders]).values_list("pk", flat=True))
    visible |= set(kept)
    roots = group_root_ids({account.pk, *(s.account_id for s in stakeholders)})
    group = roots[account.pk]
    messages = []
    for person in stakeholders:
        if person.pk not in visible:
            messages.append(_("Choose people you can see."))
        elif roots[person.account_id] != group:
            messages.append(
                _("%(person)s works at another customer group, not at %(account)s's.")
                % {"person": person.full_name, "account": account.name}
            )
    return messages


# --- gives --------------------------------------------------------------------------------


@records_actor
def give_record(
    *,
    actor: User,
    stakeholder: Stakeholder,
    kind: str,
    description: str,
    direction: str = Give.Direction.GIVEN,
    occurred_at: datetime | None = None,
    user: User | None = None,
) -> Give:
    """Something given to `stakeholder` (pay forward) or received from them, by `user`
    (default: the actor)."""
    _check_may_log(actor)
    if not _visible_stakeholders(actor).filter(pk=stakeholder.pk).exists():
        raise ValidationError({"stakeholder": _("Choose a person you can see.")})
    give = Give(
        stakeholder=stakeholder,
        user=user or actor,
        kind=kind,
        description=description,
        direction=direction,
        occurred_at=occurred_at or timezone.now(),
        created_by=actor,
    )
    _check_give(give)
    with transaction.atomic():
        give.save()
        _touch_relationships([give.user], [stakeholder])
    return give


@records_actor
def give_update(*, actor: User, give: Give, **fields) -> Give:
    _check_may_change_give(actor, give)
    user_before = give.user_id
    for name, value in fields.items():
        setattr(give, name, value)
    if not _visible_stakeholders(actor).filter(pk=give.stakeholder_id).exists():
        raise ValidationError({"stakeholder": _("Choose a person you can see.")})
    _check_give(give, user_kept=give.user_id == user_before)
    with transaction.atomic():
        give.save()
        _touch_relationships([give.user], [give.stakeholder])
    return give


@records_actor
def give_delete(*, actor: User, give: Give) -> TrashEntry:
    """Into the trash, restorable for KAM_TRASH_DAYS."""
    _check_may_change_give(actor, give)
    account_id = give.stakeholder.account_id
    with transaction.atomic():
        entry = trash(
            give,
            actor=actor,
            account_id=account_id,
            after_restore=GIVE_RESTORED,
            title=f"{give} – {give.description[:120]}",
        )
        decay.recompute(stakeholder_ids=[give.stakeholder_id])
        mark_stale([account_id])
    return entry


def _check_give(give: Give, *, user_kept: bool = False) -> None:
    errors = {}
    if give.occurred_at > timezone.now():
        errors["occurred_at"] = _("A give cannot lie in the future.")
    if not give.user.is_active:
        errors["user"] = _("This colleague is no longer active.")
    elif not user_kept and not may_see_account(give.user, give.stakeholder.account_id):
        errors["user"] = _("%(name)s cannot see %(person)s: name a colleague who works on the account.") % {
            "name": give.user.display_name,
            "person": give.stakeholder.full_name,
        }
    try:
        give.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def _check_may_change_give(actor: User, give: Give) -> None:
    _check_may_log(actor)
    if not may_change_give(actor, give):
        raise PermissionDenied(_("You may not change %(account)s.") % {"account": give.stakeholder.account.name})


# --- relationships ------------------------------------------------------------------------


def _touch_relationships(users: list[User], stakeholders: list[Stakeholder], also_recompute: set[int] = frozenset()):
    Relationship.objects.bulk_create(
        [Relationship(user=user, stakeholder=person) for user in users for person in stakeholders],
        ignore_conflicts=True,
    )
    touched = sorted({s.pk for s in stakeholders} | set(also_recompute))
    decay.recompute(stakeholder_ids=touched)
    # A contact with a key person closes their open alert at once (no broker involved).
    watch.refresh(stakeholder_ids=touched)
    # The group's health on the dashboards follows with the next snapshot (seconds, on a worker).
    mark_stale({person.account_id for person in stakeholders})


def _ensure_owner_relationship(stakeholder: Stakeholder) -> None:
    if stakeholder.relationship_owner_id is not None:
        _touch_relationships([stakeholder.relationship_owner], [stakeholder])
