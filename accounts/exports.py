import csv
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Account


def write_accounts_csv(out: IO[str], accounts: QuerySet[Account]) -> None:
    """One row per account; `accounts` comes from a selector, so visibility is already applied."""
    writer = csv.writer(out)
    writer.writerow(
        [
            _("ID"),
            _("Name"),
            _("Kind"),
            _("Parent"),
            _("Country"),
            _("City"),
            _("Ownership share (%)"),
            _("Owner"),
            _("Key account"),
            _("Archived at"),
        ]
    )
    for account in accounts.iterator(chunk_size=2000):
        writer.writerow(
            [
                account.pk,
                account.name,
                account.get_kind_display(),
                account.parent.name if account.parent else "",
                account.country.code,
                account.city,
                "" if account.ownership_share is None else account.ownership_share,
                account.owner.username if account.owner else "",
                _("yes") if account.is_key_account else _("no"),
                account.archived_at.isoformat() if account.archived_at else "",
            ]
        )
