from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.forms import AccountChoiceField, year_choices
from accounts.models import Account
from kam.models import User
from planning import selectors
from planning.models import AccountPlan, Activity, Objective, Request
from planning.scopes import accounts_with_open_tasks
from planning.selectors import (
    BOARD_WEEKS,
    GROUPINGS,
    OrchestraFilters,
    PlanFilters,
    RequestFilters,
    TaskFilters,
    subtree_of,
)
from stakeholders.models import Stakeholder

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEVELS = [(n, str(n)) for n in range(1, 6)]


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user.display_name} · {user.get_role_display()}" + (f" ({user.country.code})" if user.country else "")


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: Stakeholder) -> str:
        return f"{person.full_name} ({person.job_title})" if person.job_title else person.full_name


def active_colleagues():
    return User.objects.filter(is_active=True).order_by("username")


# --- plans and objectives -----------------------------------------------------------------


class PlanForm(forms.ModelForm):
    account = AccountChoiceField(label=_("Key account"), queryset=Account.objects.none())
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)

    class Meta:
        model = AccountPlan
        fields = ["account", "year", "title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["account"]  # a plan stays with its account
        else:
            self.fields["account"].queryset = Account.objects.editable_by(user).active().key_accounts().order_by("name")
            self.initial.setdefault("year", timezone.localdate().year)


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "description", "metric", "product_line", "target_value", "current_value"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["target_value", "current_value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_line"].queryset = self.fields["product_line"].queryset.filter(is_active=True)
        self.fields["product_line"].help_text = _("Only for the metric “Revenue of one product line”.")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("metric") == Objective.Metric.REVENUE_PRODUCT_LINE and not data.get("product_line"):
            self.add_error("product_line", _("Choose the product line whose revenue counts."))
        return data


# --- activities ---------------------------------------------------------------------------


class ActivityForm(forms.ModelForm):
    """An activity of one plan. The account select lists the plan's subtree; the people are
    those of the chosen account (reloaded when it changes), though anyone of the group may be
    sent (the API does that)."""

    account = AccountChoiceField(label=_("Account"), queryset=Account.objects.none())
    stakeholders = PeopleField(label=_("People involved"), queryset=Stakeholder.objects.none(), required=False)
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int, choices=LEVELS, initial=3)
    urgency = forms.TypedChoiceField(label=_("Urgency"), coerce=int, choices=LEVELS, initial=3)
    assignee = ColleagueChoiceField(
        label=_("Hand it to"), queryset=User.objects.none(), required=False, empty_label=_("— nobody yet —")
    )

    class Meta:
        model = Activity
        fields = [
            "account",
            "objective",
            "title",
            "description",
            "stakeholders",
            "due_on",
            "impact",
            "urgency",
            "effort_hours",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "due_on": DATE_INPUT}
        localized_fields = ["effort_hours"]

    def __init__(self, *args, user: User, plan: AccountPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        nodes = Account.objects.editable_by(user).active().filter(pk__in=subtree_of(plan.account_id))
        self.fields["account"].queryset = nodes.order_by("name")
        self.fields["objective"].queryset = plan.objectives.order_by("pk")
        self.fields["objective"].required = False
        people = Stakeholder.objects.visible_to(user).filter(account_id__in=subtree_of(plan.account_id))
        if self.instance.pk:
            del self.fields["assignee"]  # handing over has its own form and history
        else:
            self.fields["assignee"].queryset = active_colleagues()
            self.initial.setdefault("account", plan.account_id)
        self.fields["stakeholders"].queryset = people.order_by("last_name", "first_name")
        self.fields["stakeholders"].widget.choices = self._people_choices(people)
        self.fields["stakeholders"].widget.attrs["size"] = 6

    def _people_choices(self, people) -> list[tuple[int, str]]:
        account = self.data.get("account") if self.is_bound else self.initial.get("account", self.instance.account_id)
        selected = self.instance.stakeholders.values_list("pk", flat=True) if self.instance.pk else []
        shown = people.filter(Q(account_id=account if str(account).isdigit() else 0) | Q(pk__in=list(selected)))
        field = self.fields["stakeholders"]
        return [(p.pk, field.label_from_instance(p)) for p in shown.order_by("last_name", "first_name")[:200]]


class AssignForm(forms.Form):
    assignee = ColleagueChoiceField(label=_("Hand it to"), queryset=User.objects.none(), empty_label=_("Colleague…"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = active_colleagues()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        # Checked by the service, which also refuses a reason of blanks only.
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


# --- requests -----------------------------------------------------------------------------


class RequestForm(forms.ModelForm):
    account = AccountChoiceField(label=_("Account"), queryset=Account.objects.none())

    class Meta:
        model = Request
        fields = ["account", "title", "description", "source", "requested_by"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        field.queryset = Account.objects.visible_to(user).active()
        # Listing every node of every group would be thousands of options: the key accounts
        # and the nodes of one's own tasks are offered, any visible account is accepted.
        assigned = accounts_with_open_tasks(user)
        shown = field.queryset.filter(Q(is_key_account=True) | Q(pk__in=assigned))
        chosen = self.initial.get("account")
        if chosen:
            shown = field.queryset.filter(Q(pk__in=shown.values("pk")) | Q(pk=chosen))
        field.widget.choices = [("", "---------")] + [
            (a.pk, field.label_from_instance(a)) for a in shown.order_by("name")[:300]
        ]


class AcceptRequestForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=AccountPlan.objects.none(), required=False)
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=Objective.objects.none(), required=False)
    title = forms.CharField(label=_("Activity"), max_length=200)
    impact = forms.TypedChoiceField(label=_("Impact"), coerce=int, choices=LEVELS, initial=3)
    urgency = forms.TypedChoiceField(label=_("Urgency"), coerce=int, choices=LEVELS, initial=3)
    effort_hours = forms.DecimalField(
        label=_("Effort (hours)"), min_value=Decimal("0.5"), max_digits=6, decimal_places=1, initial=4, localize=True
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_INPUT)
    assignee = ColleagueChoiceField(
        label=_("Hand it to"), queryset=User.objects.none(), required=False, empty_label=_("— nobody yet —")
    )

    def __init__(self, *args, user: User, request: Request, **kwargs):
        super().__init__(*args, **kwargs)
        plans = selectors.plans_above(user=user, account=request.account)
        self.fields["plan"].queryset = plans
        self.fields["objective"].queryset = (
            Objective.objects.filter(plan__in=plans).select_related("plan").order_by("plan", "pk")
        )
        self.fields["assignee"].queryset = active_colleagues()
        self.initial.setdefault("title", request.title)
        this_year = next((p for p in plans if p.year == timezone.localdate().year), None)
        if this_year is not None:
            self.initial.setdefault("plan", this_year.pk)


# --- filters ------------------------------------------------------------------------------


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=lambda: [("", _("All years")), *year_choices()],
    )

    def filters(self) -> PlanFilters:
        self.is_valid()  # a field with a bad value is ignored, the other still filters
        return PlanFilters(q=self.cleaned_data.get("q", "").strip(), year=self.cleaned_data.get("year"))


DEFAULT_WEEKS = 4


class BoardForm(forms.Form):
    weeks = forms.TypedChoiceField(
        label=_("Capacity for the next"),
        coerce=int,
        required=False,
        choices=lambda: [(w, ngettext("%(weeks)s week", "%(weeks)s weeks", w) % {"weeks": w}) for w in BOARD_WEEKS],
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )

    def weeks_or_default(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("weeks"):
            return self.cleaned_data["weeks"]
        return DEFAULT_WEEKS


TASK_STATES = [("open", _("To do")), ("done", _("Finished or handed back")), ("all", _("All"))]


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Show"), required=False, choices=TASK_STATES)

    def filters(self) -> TaskFilters:
        if not self.is_valid():
            return TaskFilters()
        return TaskFilters(q=self.cleaned_data["q"].strip(), state=self.cleaned_data["state"] or "open")


GROUP_LABELS = {"country": _("Country"), "assignee": _("Assignee"), "status": _("Status")}


class OrchestraFilterForm(forms.Form):
    group_by = forms.ChoiceField(label=_("Group by"), required=False, choices=[(k, GROUP_LABELS[k]) for k in GROUPINGS])
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    assignee = ColleagueChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Activity.Status.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = active_colleagues()

    def filters(self) -> OrchestraFilters:
        if not self.is_valid():
            return OrchestraFilters()
        data = self.cleaned_data
        return OrchestraFilters(
            q=data["q"].strip(),
            country=data["country"].strip(),
            assignee=data["assignee"].pk if data["assignee"] else None,
            status=data["status"],
            overdue=data["overdue"],
            group_by=data["group_by"] or "country",
        )


class TriageFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[*Request.Status.choices, ("all", _("All"))])
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("Any source")), *Request.Source.choices]
    )
    account = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filters(self) -> RequestFilters:
        if not self.is_valid():
            return RequestFilters()
        data = self.cleaned_data
        status = data["status"] or "new"
        return RequestFilters(
            q=data["q"].strip(),
            status="" if status == "all" else status,
            source=data["source"],
            account=data["account"],
        )


class CapacityForm(forms.Form):
    hours_per_week = forms.DecimalField(
        label=_("Hours per week for key account work"),
        min_value=0,
        max_value=80,
        max_digits=4,
        decimal_places=1,
        localize=True,
    )


class TeamCapacityForm(CapacityForm):
    user = forms.ModelChoiceField(queryset=User.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_colleagues()
