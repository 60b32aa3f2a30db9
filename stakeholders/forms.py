"""Forms of the people pages. Selects that could list thousands of rows (accounts, people of a
big group) render a short list of options and a filter box that fetches more; they still
accept any row the user may see, and the services check the rest (same group, no cycle)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import AccountChoiceField
from accounts.models import Account
from kam.models import User
from stakeholders.models import Give, InfluenceLink, Relationship, Stakeholder
from stakeholders.selectors import PEOPLE_SORTS, StakeholderFilters, account_options, group_people

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
OPTIONS_SHOWN = 100
INFLUENCE_CHOICES = [(1, _("1 – low")), (2, "2"), (3, "3"), (4, "4"), (5, _("5 – high"))]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Stakeholder) -> str:
        return person_label(person)


def person_label(person: Stakeholder) -> str:
    details = " · ".join(part for part in (person.job_title, person.account.name) if part)
    return f"{person.full_name} ({details})" if details else person.full_name


def show_options(field: forms.ModelChoiceField, rows: list, selected=None, blank: str | None = None) -> None:
    """Render only `rows` (plus the selected row) while the field still accepts its whole queryset."""
    if selected is not None and all(row.pk != selected.pk for row in rows):
        rows = [selected, *rows]
    choices = [(row.pk, field.label_from_instance(row)) for row in rows]
    field.widget.choices = ([("", blank)] if blank is not None else []) + choices


def focus_first_error(form: forms.Form) -> None:
    """Put the cursor where the correction is needed when a form comes back with errors."""
    wrong = [name for name in form.fields if name in form.errors]
    if not wrong:
        return
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)
    form.fields[wrong[0]].widget.attrs["autofocus"] = True


def now_for_input():
    return timezone.localtime().replace(second=0, microsecond=0)


def cadence_help() -> str:
    defaults = ", ".join(
        f"{Stakeholder.BuyingRole(role).label} {days}" for role, days in Stakeholder.DEFAULT_CADENCE_DAYS.items()
    )
    return _("Days between contacts. Empty: the default for the role (%(defaults)s).") % {"defaults": defaults}


# --- the list -----------------------------------------------------------------------------

STATUS_CHOICES = [
    ("", _("Any relationship")),
    (Relationship.Status.WARM, _("Warm")),
    (Relationship.Status.COOLING, _("Cooling")),
    (Relationship.Status.COLD, _("Cold")),
    ("none", _("No relationship")),
]


class StakeholderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    buying_role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Stakeholder.BuyingRole.choices]
    )
    attitude = forms.ChoiceField(
        label=_("Attitude"), required=False, choices=[("", _("All attitudes")), *Stakeholder.Attitude.choices]
    )
    min_influence = forms.TypedChoiceField(
        label=_("Influence"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *((n, f"≥ {n}") for n in range(2, 6))],
    )
    status = forms.ChoiceField(label=_("Relationship"), required=False, choices=STATUS_CHOICES)
    account = AccountChoiceField(label=_("Account"), required=False, queryset=Account.objects.none())
    rising = forms.BooleanField(label=_("Rising only"), required=False)
    key_only = forms.BooleanField(label=_("Key people only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=[(k, k) for name in PEOPLE_SORTS for k in (name, f"-{name}")]
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.visible_to(user)
        chosen = None
        if self.is_bound:
            self.is_valid()
            chosen = self.cleaned_data.get("account")
        show_options(self.fields["account"], account_options(user=user), selected=chosen, blank=_("All accounts"))

    def filters(self) -> StakeholderFilters:
        # A field with a bad value is ignored; the others still filter.
        self.is_valid()
        data = self.cleaned_data
        return StakeholderFilters(
            q=data.get("q", "").strip(),
            buying_role=data.get("buying_role", ""),
            attitude=data.get("attitude", ""),
            min_influence=data.get("min_influence"),
            status=data.get("status", ""),
            account=data["account"].pk if data.get("account") else None,
            rising=data.get("rising", False),
            key_only=data.get("key_only", False),
            sort=data.get("sort") or "name",
        )


# --- a person -----------------------------------------------------------------------------


class StakeholderForm(forms.ModelForm):
    influence = forms.TypedChoiceField(label=_("Influence"), coerce=int, choices=INFLUENCE_CHOICES, initial=3)

    class Meta:
        model = Stakeholder
        fields = [
            "first_name",
            "last_name",
            "job_title",
            "account",
            "buying_role",
            "influence",
            "attitude",
            "rising",
            "reports_to",
            "relationship_owner",
            "cadence_days",
            "email",
            "phone",
        ]
        field_classes = {"account": AccountChoiceField, "reports_to": PersonChoiceField}
        widgets = {"first_name": forms.TextInput(attrs={"autofocus": True})}

    def __init__(self, *args, user: User, account: Account | None = None, **kwargs):
        """`account`: where the person works or will work; it decides whose people `reports_to`
        offers. On edit the account is not a field: it changes by a move."""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["account"]
            account = self.instance.account
        else:
            self.fields["account"].queryset = Account.objects.editable_by(user).active()
            # Nothing chosen yet: a blank first option, so that Enter cannot file them anywhere.
            rows = account_options(user=user, editable=True, near=account)
            show_options(self.fields["account"], rows, blank=None if account else "—")
        self.fields["buying_role"].choices = [("", "—"), *Stakeholder.BuyingRole.choices]
        self.fields["cadence_days"].required = False
        self.fields["cadence_days"].help_text = cadence_help()
        self.fields["relationship_owner"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["relationship_owner"].empty_label = _("— nobody yet —")
        manager = None
        if self.instance.reports_to_id:
            visible = Stakeholder.objects.visible_to(user).select_related("account")
            manager = visible.filter(pk=self.instance.reports_to_id).first()
            if manager is None:
                # A manager this user cannot see stays as is: the select could only drop them.
                del self.fields["reports_to"]
                return
        people_field(self.fields["reports_to"], user=user, account=account, exclude=self.instance, selected=manager)


def people_field(
    field: PersonChoiceField,
    *,
    user: User,
    account: Account | None,
    exclude: Stakeholder | None = None,
    selected: Stakeholder | None = None,
) -> None:
    """Accept any visible person, offer the first people of `account`'s group."""
    field.queryset = Stakeholder.objects.visible_to(user).select_related("account")
    rows = group_people(user=user, account=account, limit=OPTIONS_SHOWN + 1) if account else []
    if exclude is not None and exclude.pk:
        rows = [row for row in rows if row.pk != exclude.pk]
    show_options(field, rows[:OPTIONS_SHOWN], selected=selected, blank=None if field.required else "—")


class MoveForm(forms.Form):
    """A new job: the current position ends, a new one starts; the person stays the same."""

    job_title = forms.CharField(
        label=_("New job title"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )
    account = AccountChoiceField(label=_("At account"), queryset=Account.objects.none())
    started_on = forms.DateField(
        label=_("Started on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reports_to = PersonChoiceField(label=_("Reports to"), queryset=Stakeholder.objects.none(), required=False)

    def __init__(self, *args, user: User, stakeholder: Stakeholder, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("started_on", timezone.localdate())
        kwargs["initial"].setdefault("account", stakeholder.account_id)
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.editable_by(user).active()
        show_options(
            self.fields["account"],
            account_options(user=user, editable=True, near=stakeholder.account),
            selected=stakeholder.account,
        )
        people_field(self.fields["reports_to"], user=user, account=stakeholder.account, exclude=stakeholder)


# --- politics and gives on the stakeholder page ---------------------------------------------


class LinkForm(forms.Form):
    OUTGOING, INCOMING = "out", "in"

    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[(OUTGOING, _("this person → other")), (INCOMING, _("other → this person"))],
        initial=OUTGOING,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=InfluenceLink.Kind.choices)
    other = PersonChoiceField(label=_("Other person"), queryset=Stakeholder.objects.none())
    strength = forms.TypedChoiceField(
        label=_("Strength"), coerce=int, initial=2, choices=[(1, _("1 – weak")), (2, "2"), (3, _("3 – strong"))]
    )

    def __init__(self, *args, user: User, stakeholder: Stakeholder, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")  # unique ids next to the other forms of the page
        super().__init__(*args, **kwargs)
        self.stakeholder = stakeholder
        people_field(self.fields["other"], user=user, account=stakeholder.account, exclude=stakeholder)

    def link(self) -> InfluenceLink:
        data = self.cleaned_data
        source, target = self.stakeholder, data["other"]
        if data["direction"] == self.INCOMING:
            source, target = target, source
        return InfluenceLink(source=source, target=target, kind=data["kind"], strength=data["strength"])


class GiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Give.Kind.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Give.Direction.choices, initial=Give.Direction.GIVEN)
    description = forms.CharField(label=_("What"), max_length=500)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("occurred_at", now_for_input())
        kwargs.setdefault("auto_id", "give_%s")
        super().__init__(*args, **kwargs)
