from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, AccountTeamMember
from accounts.selectors import (
    ACCOUNT_SORTS,
    DEFAULT_ACCOUNT_SORT,
    AccountFilters,
    active_product_lines,
    parent_choices,
)
from accounts.services import FigureRow
from kam.models import User


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, account: Account) -> str:
        where = ", ".join(part for part in (account.city, account.country.code) if part)
        return f"{account.name} · {account.get_kind_display()}" + (f" ({where})" if where else "")


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["name", "kind", "parent", "country", "city", "ownership_share", "owner", "is_key_account"]
        field_classes = {"parent": AccountChoiceField}
        widgets = {"name": forms.TextInput(attrs={"autofocus": True})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The parent changes only through a move, which checks the whole hierarchy.
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = parent_choices(user=user)
            self.fields["parent"].empty_label = _("— none: a new top-level group —")
        self.fields["owner"].queryset = User.objects.managing_accounts().order_by("first_name", "last_name", "username")


class MoveForm(forms.Form):
    parent = AccountChoiceField(
        label=_("New parent"),
        queryset=Account.objects.none(),
        required=False,
        empty_label=_("— none: make it a top-level group —"),
    )

    def __init__(self, *args, user: User, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parent_choices(user=user, exclude_subtree_of=account)


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = AccountTeamMember
        fields = ["user", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["user"].empty_label = _("Colleague…")
        self.fields["role"].choices = [("", _("Role…")), *AccountTeamMember.Role.choices]


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year + 2, this_year - 6, -1)]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        choices=year_choices,
        required=False,
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )

    def cleaned_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year


class FiguresForm(forms.Form):
    """Revenue, potential and confidence of one account and year, a row per product line.
    An empty amount means: no figure for this product line."""

    def __init__(self, *args, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.product_lines = list(active_product_lines())
        # Localized, so that a German user types and sees 1234,50 and an English one 1234.50.
        amount = {"min_value": 0, "max_digits": 16, "decimal_places": 2, "required": False, "localize": True}
        for line in self.product_lines:
            revenue, potential = current.get(("revenue", line.pk)), current.get(("potential", line.pk))
            self.fields[f"revenue_{line.pk}"] = forms.DecimalField(
                label=_("Revenue %(code)s") % {"code": line.code},
                initial=revenue.amount if revenue else None,
                **amount,
            )
            self.fields[f"potential_{line.pk}"] = forms.DecimalField(
                label=_("Potential %(code)s") % {"code": line.code},
                initial=potential.amount if potential else None,
                **amount,
            )
            self.fields[f"confidence_{line.pk}"] = forms.IntegerField(
                label=_("Confidence %(code)s") % {"code": line.code},
                min_value=0,
                max_value=100,
                required=False,
                initial=potential.confidence if potential else None,
            )

    def rows(self):
        """Bound fields grouped per product line, for the grid template."""
        for line in self.product_lines:
            yield line, [self[f"{kind}_{line.pk}"] for kind in ("revenue", "potential", "confidence")]

    def figure_rows(self) -> list[FigureRow]:
        data = self.cleaned_data
        return [
            FigureRow(
                product_line=line,
                revenue=data.get(f"revenue_{line.pk}"),
                potential=data.get(f"potential_{line.pk}"),
                confidence=data.get(f"confidence_{line.pk}"),
            )
            for line in self.product_lines
        ]


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Account.Kind.choices])
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        required=False,
        queryset=User.objects.filter(role__in=[User.Role.KAM, User.Role.ADMIN]).order_by("username"),
        empty_label=_("All owners"),
    )
    key_only = forms.BooleanField(label=_("Key accounts only"), required=False)
    archived = forms.BooleanField(label=_("Archived"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[(k, k) for name in ACCOUNT_SORTS for k in (name, f"-{name}")]
    )

    def filters(self) -> AccountFilters:
        # A field with a bad value (an owner who is gone, say) is ignored; the others still filter.
        self.is_valid()
        data = self.cleaned_data
        return AccountFilters(
            q=data.get("q", "").strip(),
            kind=data.get("kind", ""),
            country=data.get("country", "").strip(),
            owner=data["owner"].pk if data.get("owner") else None,
            key_only=data.get("key_only", False),
            archived=data.get("archived", False),
            sort=data.get("sort") or DEFAULT_ACCOUNT_SORT,
        )
