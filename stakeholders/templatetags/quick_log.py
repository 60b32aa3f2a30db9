from django import template

from accounts.models import Account
from stakeholders.interaction_forms import InteractionForm
from stakeholders.models import Stakeholder
from stakeholders.permissions import may_log_contacts

register = template.Library()


@register.inclusion_tag("stakeholders/partials/quick_log_form.html", takes_context=True)
def quick_log(context, account: Account, stakeholder: Stakeholder | None = None) -> dict:
    """A fresh quick-log form for `account`, with `stakeholder` already chosen if given."""
    request = context["request"]
    if not may_log_contacts(request.user):
        return {"hidden": True}
    initial = {"stakeholders": [stakeholder]} if stakeholder else {}
    return {
        "form": InteractionForm(user=request.user, initial=initial),
        "account": account,
        "stakeholder": stakeholder,
        "request": request,
        "next_url": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
