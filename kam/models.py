from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class User(AbstractUser):
    class Role(models.TextChoices):
        KAM = "kam", _("Key account manager")
        LEADERSHIP = "leadership", _("Sales leadership")
        REGIONAL = "regional", _("Regional colleague")
        ADMIN = "admin", _("Administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.KAM)
    country = CountryField(_("country"), blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    @property
    def reads_everything(self) -> bool:
        return self.is_superuser or self.role in (self.Role.ADMIN, self.Role.LEADERSHIP)

    @property
    def writes_everything(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN
