from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class UserQuerySet(models.QuerySet):
    def managing_accounts(self) -> "UserQuerySet":
        """Active colleagues whose role changes accounts (User.manages_accounts): who may own one."""
        roles = [User.Role.ADMIN, *settings.KAM_WRITE_SCOPES]
        return self.filter(is_active=True).filter(Q(role__in=roles) | Q(is_superuser=True))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    class Role(models.TextChoices):
        KAM = "kam", _("Key account manager")
        LEADERSHIP = "leadership", _("Sales leadership")
        REGIONAL = "regional", _("Regional colleague")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.KAM)
    country = CountryField(_("country"), blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """A colleague as people call them, in every picker, list and mail: "Katrin Amsel", or the
        login name for someone whose name nobody entered."""
        return self.name_from(self.first_name, self.last_name, self.username)

    @staticmethod
    def name_from(first_name: str | None, last_name: str | None, username: str | None) -> str:
        """display_name from the three columns, for rows read with values()."""
        return f"{first_name or ''} {last_name or ''}".strip() or (username or "")

    @property
    def manages_accounts(self) -> bool:
        """Whether the role changes accounts at all (an admin: every one; a KAM: their groups):
        who creates groups and plans and triages requests."""
        return self.is_active and (self.writes_everything or self.role in settings.KAM_WRITE_SCOPES)

    @property
    def is_read_only(self) -> bool:
        """Sales leadership reads every account and changes nothing: no figures, contacts,
        gives, requests or tasks."""
        return self.role == self.Role.LEADERSHIP and not self.writes_everything

    @property
    def reads_everything(self) -> bool:
        return self.is_superuser or self.role in (self.Role.ADMIN, self.Role.LEADERSHIP)

    @property
    def writes_everything(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN


class SavedView(models.Model):
    """A list's filters and sort order under a name ("My Brazilian accounts"): its owner's, and
    when shared readable (not changeable) by everybody. The lists are named by LISTS in
    kam.lib.saved_views; `query` is the list's query string without its page."""

    owner = models.ForeignKey(User, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_views")
    list_key = models.CharField(_("list"), max_length=30)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters and sort order"), max_length=2000, blank=True)
    shared = models.BooleanField(_("shared with the team"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["list_key", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_key", "name"],
                name="saved_view_name_once_per_list",
                violation_error_message=_("You already have a view of this name here."),
            )
        ]
        indexes = [models.Index(fields=["list_key", "shared"])]

    def __str__(self) -> str:
        return self.name


class DefaultView(models.Model):
    """The view a user's list opens with (their own or a shared one)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="default_views")
    list_key = models.CharField(_("list"), max_length=30)
    view = models.ForeignKey(SavedView, verbose_name=_("view"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("default view")
        verbose_name_plural = _("default views")
        constraints = [models.UniqueConstraint(fields=["user", "list_key"], name="default_view_once_per_list")]

    def __str__(self) -> str:
        return f"{self.user} · {self.list_key}: {self.view}"


class TrashEntryQuerySet(models.QuerySet):
    def expired(self, now) -> "TrashEntryQuerySet":
        return self.filter(expires_at__lte=now)


class TrashEntry(models.Model):
    """A deleted record with everything that hung on it, kept for `KAM_TRASH_DAYS` so that it can
    be restored whole (kam.lib.trash). The rows themselves are really gone from their tables, so
    no figure, list, search or export needs to know about the trash."""

    model = models.CharField(_("kind of record"), max_length=100)  # "stakeholders.stakeholder"
    object_id = models.BigIntegerField(_("record id"))
    title = models.CharField(_("record"), max_length=300)
    # The account the record belonged to (no foreign key: the base knows no app's tables, and
    # accounts are archived, never deleted), for the visibility rule.
    account_id = models.BigIntegerField(_("account"), null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deleted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(_("deleted at"))
    expires_at = models.DateTimeField(_("purged after"), db_index=True)
    # Every row the deletion took along, parents first: [{"model", "pk", "fields"}], and what it
    # set to null: [{"model", "field", "pks", "value"}].
    rows = models.JSONField(_("rows"), default=list)
    nulled = models.JSONField(_("fields set to empty"), default=list)
    counts = models.JSONField(_("what came along"), default=dict)  # {model label: rows}
    # The function (dotted path) that puts the rest right after a restore: marks, recomputes.
    after_restore = models.CharField(max_length=200, blank=True)

    objects = TrashEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("trash entry")
        verbose_name_plural = _("trash")
        ordering = ["-deleted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["model", "object_id"], name="trash_entry_once_per_record")]

    def __str__(self) -> str:
        return self.title
