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
