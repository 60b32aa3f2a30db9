from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.forms import YearForm
from accounts.potential import rollups
from accounts.selectors import key_accounts_overview
from kam.models import User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    year = YearForm(request.GET).cleaned_year()
    user: User = request.user
    accounts = key_accounts_overview(user=user)
    page = Paginator(accounts, 25).get_page(request.GET.get("page"))
    figures = rollups([account.pk for account in page], year)
    rows = [(account, figures[account.pk]) for account in page]
    return render(
        request, "home.html", {"page": page, "rows": rows, "year": year, "year_form": YearForm(initial={"year": year})}
    )
