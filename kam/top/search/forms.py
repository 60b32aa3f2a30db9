from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from kam.top.search.kinds import KINDS, Kind
from kam.top.search.normalize import Terms, parse

MIN_LENGTH, MAX_LENGTH = 2, 200


class SearchForm(forms.Form):
    """What the header box, the palette, the results page and the API read: `q` of 2 to 200
    characters (spaces around it do not count) and optionally one `type`."""

    q = forms.CharField(
        label=_("Search"),
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        error_messages={
            "required": _("Type what to search for."),
            "min_length": _("Type at least %(limit_value)d characters."),
            "max_length": _("Search for at most %(limit_value)d characters."),
        },
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[(key, kind.label) for key, kind in KINDS.items()]
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if not parse(query):
            raise forms.ValidationError(_("Type a word or a name: letters or digits."))
        return query

    @property
    def terms(self) -> Terms:
        return parse(self.cleaned_data["q"])


class KindFilterForm(forms.Form):
    """The filters of one kind's results page: its `filters` fields, each a menu of their
    choices (yes/no for a flag). A value that no longer exists is ignored, the rest apply."""

    def __init__(self, *args, kind: Kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in kind.filters:
            model_field = kind.model._meta.get_field(name)
            if isinstance(model_field, models.BooleanField):
                choices = [("", _("Any")), ("1", _("Yes")), ("0", _("No"))]
            else:
                choices = [("", _("Any")), *model_field.choices]
            self.fields[name] = forms.ChoiceField(
                label=model_field.verbose_name,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "kind-filter"}),
            )

    def filters(self) -> dict:
        self.is_valid()
        chosen = {}
        for name, value in self.cleaned_data.items():
            if value == "":
                continue
            model_field = self.kind.model._meta.get_field(name)
            chosen[name] = value == "1" if isinstance(model_field, models.BooleanField) else value
        return chosen
