"""Writes to the customer group hierarchy and its figures.

Every function takes the acting user, checks the visibility rule, validates, and writes in
one transaction. Bad input raises django.core.exceptions.ValidationError with field errors
(forms show them, the API answers 400); an account the actor may not change raises
PermissionDenied (403). Either way the database stays as it was.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.hierarchy import SUBTREE_IDS_SQL, SUBTREE_WITH_ARCHIVED_IDS_SQL, descends_from
from accounts.models import HUNDRED, ZERO, Account, AccountTeamMember, Potential, ProductLine, Revenue
from accounts.recompute import mark_stale
from kam.lib.history import records_actor
from kam.lib.trash import trash
from kam.models import TrashEntry, User
from kam.visibility import can_create_groups, check_may_change_account, may_change_account

EDITABLE_FIELDS = ("name", "kind", "country", "city", "ownership_share", "owner", "is_key_account")
# Any constant works: it names the one lock that serialises hierarchy moves on PostgreSQL.
_MOVE_LOCK = 4_711_001


@records_actor
def account_create(*, actor: User, parent: Account | None = None, **fields) -> Account:
    account = Account(parent=parent, **fields)
    starts_group_for_kam = parent is None and actor.role == User.Role.KAM
    if starts_group_for_kam and account.owner is None:
        account.owner = actor
    with transaction.atomic():
        _check_parent(actor, account, parent)
        if account.owner is not None:
            _check_owner(account.owner)
        _check_fields(account)
        account.save()
        if starts_group_for_kam and account.owner != actor:
            # Handing the group to a colleague must not lock its creator out of it.
            AccountTeamMember.objects.create(account=account, user=actor, role=AccountTeamMember.Role.GLOBAL_KAM)
    return account


@records_actor
def account_update(*, actor: User, account: Account, **fields) -> Account:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"account_update cannot change {sorted(unknown)}; use account_move for the parent.")
    check_may_change_account(actor, account)
    if "owner" in fields and fields["owner"] is not None and fields["owner"].pk != account.owner_id:
        _check_owner(fields["owner"])
    for name, value in fields.items():
        setattr(account, name, value)
    with transaction.atomic():
        _check_fields(account)
        account.save()
    return account


@records_actor
def account_move(*, actor: User, account: Account, new_parent: Account | None) -> Account:
    """Put `account` and its whole subtree under `new_parent` (None: make it a top-level group)."""
    check_may_change_account(actor, account)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two concurrent moves could each pass the cycle check and close a loop together.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_MOVE_LOCK])
        _check_parent(actor, account, new_parent)
        if new_parent is not None and descends_from(new_parent.pk, account.pk):
            raise ValidationError(
                {
                    "parent": _("%(parent)s lies inside %(account)s: moving it there would create a cycle.")
                    % {"parent": new_parent.name, "account": account.name}
                }
            )
        old_parent_id = account.parent_id
        account.parent = new_parent
        _check_fields(account)
        account.save(update_fields=["parent", "updated_at"])
        # Both groups' snapshots change: the one the subtree left and the one it joined.
        mark_stale([old_parent_id, account.pk])
    return account


@records_actor
def account_archive(*, actor: User, account: Account) -> int:
    """Archive `account` and everything below it; returns how many accounts were archived."""
    check_may_change_account(actor, account)
    with transaction.atomic():
        archived = _set_archived(
            actor,
            Account.objects.filter(pk__in=RawSQL(SUBTREE_IDS_SQL, [account.pk]), archived_at__isnull=True),
            timezone.now(),
        )
        mark_stale([account.pk])
        return archived


@records_actor
def account_restore(*, actor: User, account: Account) -> int:
    """Bring back `account` and the nodes archived together with it."""
    check_may_change_account(actor, account)
    if not account.is_archived:
        raise ValidationError(_("%(account)s is not archived.") % {"account": account.name})
    if account.parent is not None and account.parent.is_archived:
        raise ValidationError(_("Restore %(parent)s first: it is archived too.") % {"parent": account.parent.name})
    with transaction.atomic():
        restored = _set_archived(
            actor,
            Account.objects.filter(
                pk__in=RawSQL(SUBTREE_WITH_ARCHIVED_IDS_SQL, [account.pk]), archived_at=account.archived_at
            ),
            None,
        )
        mark_stale([account.pk])
        return restored


def _set_archived(actor: User, accounts, archived_at) -> int:
    """Archive or restore a subtree in one statement, and record the change of each node."""
    nodes = list(accounts.select_for_update())
    Account.objects.filter(pk__in=[node.pk for node in nodes]).update(archived_at=archived_at)
    for node in nodes:
        node.archived_at = archived_at
    Account.history.bulk_history_create(nodes, update=True, default_user=actor)
    return len(nodes)


@records_actor
def team_member_set(*, actor: User, account: Account, user: User, role: str) -> AccountTeamMember:
    check_may_change_account(actor, account)
    if role not in AccountTeamMember.Role.values:
        raise ValidationError({"role": _("Unknown team role.")})
    member, _created = AccountTeamMember.objects.update_or_create(account=account, user=user, defaults={"role": role})
    return member


@records_actor
def team_member_remove(*, actor: User, member: AccountTeamMember) -> None:
    check_may_change_account(actor, member.account)
    member.delete()  # recorded in the team's history; nothing else hangs on it


@dataclass(frozen=True)
class FigureRow:
    product_line: ProductLine
    revenue: Decimal | None
    potential: Decimal | None
    confidence: int | None = None


@records_actor
def figures_save(*, actor: User, account: Account, year: int, rows: list[FigureRow]) -> None:
    """Set revenue and potential of `account` for `year`, one row per product line.
    An empty amount removes that figure; any bad row refuses the whole set."""
    check_may_change_account(actor, account)
    errors = {}
    for row in rows:
        for label, amount in (("revenue", row.revenue), ("potential", row.potential)):
            if amount is not None and amount < ZERO:
                errors[f"{row.product_line.code}-{label}"] = _("%(code)s: an amount cannot be negative.") % {
                    "code": row.product_line.code
                }
        if row.confidence is not None and not 0 <= row.confidence <= 100:
            errors[f"{row.product_line.code}-confidence"] = _("Confidence lies between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for row in rows:
            _set_figure(actor, Revenue, account, row.product_line, year, row.revenue)
            _set_figure(actor, Potential, account, row.product_line, year, row.potential, confidence=row.confidence)
        mark_stale([account.pk])


@records_actor
def figure_save(*, actor: User, figure: Revenue | Potential) -> Revenue | Potential:
    """Create or change one revenue or potential row (the API's unit of writing)."""
    check_may_change_account(actor, figure.account)
    figure.full_clean()
    try:
        with transaction.atomic():
            figure.save()
            mark_stale([figure.account_id])
    except IntegrityError:
        # A concurrent write took the same account × product line × year first.
        raise ValidationError(_("This figure already exists for the account, product line and year.")) from None
    return figure


@records_actor
def figure_delete(*, actor: User, figure: Revenue | Potential) -> TrashEntry:
    """Into the trash (kam.lib.trash): restorable for KAM_TRASH_DAYS."""
    check_may_change_account(actor, figure.account)
    with transaction.atomic():
        entry = trash(figure, actor=actor, account_id=figure.account_id, after_restore=FIGURE_RESTORED)
        mark_stale([figure.account_id])
    return entry


FIGURE_RESTORED = "accounts.services.figure_restored"


def figure_restored(*, entry: TrashEntry, objects: list) -> None:
    """After a revenue or potential came back from the trash: its group's figures changed."""
    mark_stale([obj.account_id for obj in objects if isinstance(obj, Revenue | Potential)])


def _set_figure(actor: User, model, account: Account, product_line: ProductLine, year: int, amount, **extra) -> None:
    cell = {"account": account, "product_line": product_line, "year": year}
    if amount is None:
        # An emptied cell goes to the trash like a deleted row.
        for figure in model.objects.filter(**cell):
            trash(figure, actor=actor, account_id=account.pk, after_restore=FIGURE_RESTORED)
        return
    defaults = {"amount": amount, **{k: v for k, v in extra.items() if v is not None}}
    model.objects.update_or_create(**cell, defaults=defaults)


def _check_parent(actor: User, account: Account, parent: Account | None) -> None:
    if parent is None:
        if not can_create_groups(actor):
            raise ValidationError({"parent": _("You may not create top-level groups.")})
        return
    if not may_change_account(actor, parent.pk):
        raise ValidationError({"parent": _("Choose a parent account that you may change.")})
    if parent.is_archived:
        raise ValidationError({"parent": _("%(parent)s is archived.") % {"parent": parent.name}})


def _check_owner(owner: User) -> None:
    if not User.objects.managing_accounts().filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose a key account manager or an administrator as the owner.")})


def _check_fields(account: Account) -> None:
    errors = {}
    if account.parent_id is None and account.kind != Account.Kind.GROUP:
        errors["kind"] = _("Only a group can stand at the top of a hierarchy.")
    share = account.ownership_share
    if account.kind == Account.Kind.PARTICIPATION:
        if share is None:
            errors["ownership_share"] = _("A participation needs an ownership share.")
        elif not ZERO <= share <= HUNDRED:
            errors["ownership_share"] = _("The ownership share lies between 0 and 100 %.")
    elif share is not None:
        errors["ownership_share"] = _("Only participations have an ownership share.")
    if errors:
        raise ValidationError(errors)
    account.full_clean(exclude=["parent"])
