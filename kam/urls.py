from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kam import views

urlpatterns = [
    path("", views.home, name="home"),
    path("portfolio/export.csv", views.portfolio_export, {"file_format": "csv"}, name="portfolio_export_csv"),
    path("portfolio/export.xlsx", views.portfolio_export, {"file_format": "xlsx"}, name="portfolio_export_xlsx"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("people/", include("stakeholders.urls")),
    # planning's pages live under plans/ and tasks/ (My tasks, the calendar feed).
    path("", include("planning.urls")),
    path("api/", include("kam.api_urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
