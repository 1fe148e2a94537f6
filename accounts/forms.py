"""Sign-up forms: a person (who may then register an organisation) and a citizen."""

from allauth.account.forms import SignupForm
from django import forms
from django.db import transaction
from django.utils import timezone

from accounts.models import CitizenProfile
from core.audit import audit_record
from core.postcodes import normalise_postcode, validate_postcode

CONSENT_VERSION = "2026-11"


class PersonSignupForm(SignupForm):
    full_name = forms.CharField(
        label="Full name", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    field_order = ["full_name", "email", "password1", "password2"]


class CitizenSignupForm(PersonSignupForm):
    postcode = forms.CharField(
        label="Postcode", max_length=8,
        help_text="We use it to invite people from every part of the area to citizen panels.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    age_band = forms.ChoiceField(
        label="Age", choices=CitizenProfile.AgeBand.choices, widget=forms.RadioSelect,
        help_text="Panels are drawn to match the area's age mix.",
    )
    consent = forms.BooleanField(
        label="I agree that the portal keeps these details to invite me to citizen panels, "
        "as described in the privacy notice",
        error_messages={"required": "You must agree before you can register as a citizen."},
    )
    field_order = ["full_name", "email", "password1", "password2", "postcode", "age_band",
                   "consent"]

    def clean_postcode(self) -> str:
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        validate_postcode(postcode)
        return postcode

    @transaction.atomic
    def save(self, request):
        user = super().save(request)
        profile = CitizenProfile.objects.create(
            user=user,
            postcode=self.cleaned_data["postcode"],
            age_band=self.cleaned_data["age_band"],
            consent_given_at=timezone.now(),
            consent_version=CONSENT_VERSION,
        )
        audit_record(actor=user, action="citizen.registered", obj=profile,
                     summary="Registered as a citizen", changes={"consent": CONSENT_VERSION})
        return user
