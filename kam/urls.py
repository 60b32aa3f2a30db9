"""The site's addresses. Apps and the top floor are included by name, so the base imports none of them."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("kam.top.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("people/", include("stakeholders.urls")),
    # planning's pages live under plans/ and tasks/ (My tasks, the calendar feed).
    path("", include("planning.urls")),
    path("search/", include("kam.top.search.urls")),
    path("api/", include("kam.top.api_urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
