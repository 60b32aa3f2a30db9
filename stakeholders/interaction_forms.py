from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kam.models import User
from stakeholders.models import Interaction, Stakeholder

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: Stakeholder) -> str:
        return person.full_name


class InteractionForm(forms.Form):
    """The quick-log: who, what, and the rest defaulted (a meeting, now, neutral, me)."""

    stakeholders = PersonChoiceField(
        label=_("People"),
        queryset=Stakeholder.objects.none(),
        error_messages={"required": _("Name at least one person you were in touch with.")},
    )
    summary = forms.CharField(label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Interaction.Kind.choices, initial=Interaction.Kind.MEETING)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), choices=Interaction.Sentiment.choices, initial=Interaction.Sentiment.NEUTRAL
    )
    colleagues = forms.ModelMultipleChoiceField(
        label=_("Colleagues"), queryset=User.objects.none(), required=False, help_text=_("Default: you.")
    )

    def __init__(self, *args, user: User, people: QuerySet[Stakeholder] | None = None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        kwargs["initial"].setdefault("colleagues", [user.pk])
        super().__init__(*args, **kwargs)
        # The quick-log renders chosen people as chips, so any visible person may be posted; the
        # edit page renders a select and passes the group's people to keep it short.
        self.fields["stakeholders"].queryset = people if people is not None else Stakeholder.objects.visible_to(user)
        self.fields["colleagues"].queryset = User.objects.filter(is_active=True).order_by("username")

    def chosen_people(self) -> list[Stakeholder]:
        """The people already picked, to show as chips when the form comes back."""
        if self.is_bound:
            ids = [pk for pk in self.data.getlist("stakeholders") if str(pk).isdigit()]
        else:
            ids = [getattr(p, "pk", p) for p in self.initial.get("stakeholders", [])]
        if not ids:
            return []
        return list(self.fields["stakeholders"].queryset.filter(pk__in=ids).order_by("last_name", "first_name"))
