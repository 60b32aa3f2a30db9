"""The site's addresses. Apps and the top floor are included by name, so the base imports none of them."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kam import saved_view_views, trash_views

urlpatterns = [
    path("", include("kam.top.urls")),
    path("views/save/", saved_view_views.view_save, name="view_save"),
    path("views/<int:pk>/delete/", saved_view_views.view_delete, name="view_delete"),
    path("views/<int:pk>/share/", saved_view_views.view_share, name="view_share"),
    path("views/<int:pk>/default/", saved_view_views.view_default, name="view_default"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("trash/", trash_views.trash_list, name="trash"),
    path("trash/<int:pk>/restore/", trash_views.trash_restore, name="trash_restore"),
    path("trash/<int:pk>/purge/", trash_views.trash_purge, name="trash_purge"),
    path("accounts/", include("accounts.urls")),
    path("people/", include("stakeholders.urls")),
    # planning's pages live under plans/ and tasks/ (My tasks, the calendar feed).
    path("", include("planning.urls")),
    path("search/", include("kam.top.search.urls")),
    path("api/", include("kam.top.api_urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
