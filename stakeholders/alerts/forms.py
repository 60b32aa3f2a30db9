from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from kam.models import User
from stakeholders.alerts.selectors import AlertFilters, default_scope_is_mine
from stakeholders.alerts.services import NOTE_MAX_LENGTH
from stakeholders.models import Alert


class AlertFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Whose"), required=False, choices=[("mine", _("Mine")), ("all", _("Everybody's I can see"))]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Alert.Kind.choices])
    account = forms.ModelChoiceField(
        label=_("Customer group"), required=False, queryset=Account.objects.none(), empty_label=_("All groups")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open")), ("resolved", _("Resolved")), ("any", _("Open and resolved"))],
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Any visible node filters (links from an account page); the menu offers the groups.
        visible = Account.objects.visible_to(user)
        self.fields["account"].queryset = visible
        self.fields["account"].widget.choices = [
            ("", _("All groups")),
            *visible.roots().active().order_by("name").values_list("pk", "name"),
        ]
        self.fields["scope"].initial = "mine" if default_scope_is_mine(user) else "all"

    def filters(self) -> AlertFilters:
        self.is_valid()  # a field with a bad value (an account gone) is ignored, the others filter
        data = self.cleaned_data
        scope = data.get("scope") or self.fields["scope"].initial
        account = data.get("account")
        return AlertFilters(
            mine=scope == "mine",
            kind=data.get("kind", ""),
            account=account.pk if account else None,
            status={"": "open", "any": ""}.get(data.get("status", ""), data.get("status", "open")),
        )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it resolved?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. met at the trade fair, contact logged later; on leave until May."),
    )
