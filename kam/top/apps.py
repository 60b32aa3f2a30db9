from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopConfig(AppConfig):
    """The top floor: what reads or writes several apps at once (dashboards, the snapshot job,
    exports, the data generator, demo and job commands). It may import every app; no app imports it."""

    name = "kam.top"
    label = "top"
    verbose_name = _("KAM overview")
