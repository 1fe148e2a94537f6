"""People: one account per email address, and the minimal profile a citizen gives."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.update(is_staff=True, is_superuser=True, is_platform_admin=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the Django admin (platform admins only)."
    )
    is_platform_admin = models.BooleanField(
        default=False, help_text="Verifies organisations and sees every compliance finding."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class CitizenProfile(models.Model):
    """What a citizen commissioner tells us, and nothing more (UK GDPR data minimisation)."""

    class AgeBand(models.TextChoices):
        AGE_16_24 = "16-24", "16 to 24"
        AGE_25_34 = "25-34", "25 to 34"
        AGE_35_44 = "35-44", "35 to 44"
        AGE_45_54 = "45-54", "45 to 54"
        AGE_55_64 = "55-64", "55 to 64"
        AGE_65_74 = "65-74", "65 to 74"
        AGE_75_PLUS = "75+", "75 or over"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_profile")
    postcode = models.CharField(max_length=8)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    consent_given_at = models.DateTimeField()
    consent_version = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"Citizen profile of {self.user}"
