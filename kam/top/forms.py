from django import forms
from django.utils.translation import gettext_lazy as _

from kam.top.portfolio import DEFAULT_SORT, HEALTH_BANDS, QUADRANTS, SORTS, PortfolioFilters

SORT_CHOICES = [(key, key) for name in SORTS for key in (name, f"-{name}")]


class PortfolioFilterForm(forms.Form):
    """The portfolio's search, filters and sort order. Owner and country choices come from the
    portfolio itself (whoever owns one of the user's key accounts), so they are checked loosely
    here and offered by the template."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    owner = forms.IntegerField(label=_("Owner"), required=False, min_value=1)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    health = forms.ChoiceField(label=_("Health"), required=False, choices=[("", _("All")), *HEALTH_BANDS.items()])
    quadrant = forms.ChoiceField(
        label=_("Segment"), required=False, choices=[("", _("All")), *((k, v[0]) for k, v in QUADRANTS.items())]
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)

    def filters(self) -> PortfolioFilters:
        self.is_valid()  # a field with a bad value is ignored, the others still filter
        data = self.cleaned_data
        return PortfolioFilters(
            q=data.get("q", "").strip(),
            owner=data.get("owner"),
            country=data.get("country", "").strip(),
            health=data.get("health", ""),
            quadrant=data.get("quadrant", ""),
            sort=data.get("sort") or DEFAULT_SORT,
        )
