from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.forms import YearForm
from accounts.potential import rollups
from accounts.selectors import key_accounts_overview
from kam.models import User
from planning.selectors import due_activities
from planning.task_views import my_tasks


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    if user.role == User.Role.REGIONAL:
        return my_tasks(request)  # a regional colleague's home is their task inbox
    year = YearForm(request.GET).cleaned_year()
    accounts = key_accounts_overview(user=user)
    page = Paginator(accounts, 25).get_page(request.GET.get("page"))
    figures = rollups([account.pk for account in page], year)
    rows = [(account, figures[account.pk]) for account in page]
    due = due_activities(user=user) if user.role == User.Role.KAM else None  # None: no section
    context = {"page": page, "rows": rows, "year": year, "year_form": YearForm(initial={"year": year}), "due": due}
    return render(request, "home.html", context)
