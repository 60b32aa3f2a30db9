from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "kam.top.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from kam.top.search.normalize import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="search-sqlite-functions")
