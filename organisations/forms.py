"""Forms for organisation profiles, verification decisions and invitations."""

from django import forms

from core.documents import DocumentUploadField
from organisations import identifiers
from organisations.models import AUTHORITY_ROLES, PROVIDER_ROLES, Organisation, Role
from organisations.services import GOVERNING_DOCUMENT_POLICY

LF = Organisation.LegalForm
# Which registered number each legal form must give (any one of the listed ones).
REQUIRED_NUMBERS = {
    LF.CHARITY: ("charity_number", "oscr_number"),
    LF.CIO: ("charity_number", "oscr_number"),
    LF.CIC: ("company_number",),
    LF.CLG: ("company_number",),
    LF.SOCIETY: ("fca_number",),
    LF.MUTUAL: ("company_number", "fca_number", "charity_number"),
    LF.SME: ("company_number",),
    LF.LARGE: ("company_number",),
}
NUMBER_LABELS = {
    "charity_number": "Charity Commission number", "oscr_number": "OSCR number",
    "company_number": "Companies House number", "fca_number": "FCA register number",
}


class OrganisationForm(forms.ModelForm):
    governing_document = DocumentUploadField(
        policy=GOVERNING_DOCUMENT_POLICY, label="Governing document (optional)", required=False,
        help_text="Your constitution, articles or rules, as PDF or Word, up to 25 MB. It helps "
        "us verify you.",
    )
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name", "legal_form", "charity_number", "company_number", "oscr_number",
            "fca_number", "address_line_1", "address_line_2", "town", "postcode", "website",
            "size", "is_vcse",
        ]
        labels = {
            "name": "Organisation name", "legal_form": "Legal form",
            "address_line_1": "Address line 1", "address_line_2": "Address line 2 (optional)",
            "town": "Town or city", "website": "Website (optional)", "size": "Size",
            "is_vcse": "We are a voluntary, community or social enterprise (VCSE) organisation",
        }
        help_texts = {
            "charity_number": "If registered with the Charity Commission for England and Wales.",
            "company_number": "8 characters, like 01234567 or SC123456.",
            "oscr_number": "If registered with the Scottish Charity Regulator, like SC012345.",
            "fca_number": "For co-operative and community benefit societies, like 12345R.",
        }
        widgets = {
            "legal_form": forms.RadioSelect,
            "size": forms.RadioSelect,
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "address_line_1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_line_2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "postcode": forms.TextInput(attrs={"autocomplete": "postal-code"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_form"].choices = [
            c for c in LF.choices if c[0] != LF.PUBLIC_BODY
        ]
        for name in NUMBER_LABELS:
            self.fields[name].label = f"{NUMBER_LABELS[name]} (if you have one)"

    def clean_postcode(self) -> str:
        return identifiers.normalise_postcode(self.cleaned_data["postcode"])

    def clean_company_number(self) -> str:
        return identifiers.normalise_company_number(self.cleaned_data["company_number"])

    def clean_oscr_number(self) -> str:
        return self.cleaned_data["oscr_number"].strip().upper()

    def clean_fca_number(self) -> str:
        return self.cleaned_data["fca_number"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        legal_form = cleaned.get("legal_form")
        needed = REQUIRED_NUMBERS.get(legal_form, ())
        if needed and not any(cleaned.get(name) for name in needed):
            names = " or ".join(NUMBER_LABELS[n] for n in needed)
            self.add_error(needed[0], f"Enter your {names}. Organisations of this legal "
                                      f"form ({LF(legal_form).label}) must give it.")
        return cleaned

    def profile_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "governing_document"}


class AuthorityForm(forms.ModelForm):
    website = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    admin_email = forms.EmailField(
        label="Email address of the authority's first administrator",
        help_text="We will email them an invitation. They must set up two-factor "
        "authentication when they sign in.",
    )

    class Meta:
        model = Organisation
        fields = ["name", "authority_type", "authority_code", "address_line_1",
                  "address_line_2", "town", "postcode", "website"]
        widgets = {"authority_type": forms.RadioSelect}
        labels = {"name": "Authority name", "address_line_1": "Address line 1",
                  "address_line_2": "Address line 2 (optional)", "town": "Town or city",
                  "website": "Website (optional)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["authority_type"]
        field.required = True
        field.choices = Organisation.AuthorityType.choices
        field.help_text = AuthorityTypeForm.base_fields["authority_type"].help_text

    def clean_authority_code(self) -> str:
        return self.cleaned_data["authority_code"].strip().upper()

    def clean_postcode(self) -> str:
        return identifiers.normalise_postcode(self.cleaned_data["postcode"])


class AuthorityTypeForm(forms.Form):
    authority_type = forms.ChoiceField(
        label="Type of authority", choices=Organisation.AuthorityType.choices,
        widget=forms.RadioSelect,
        help_text="Central government authorities and NHS bodies use the lower thresholds, "
        "notify below-threshold contracts from £12,000 and weight social value at 10% or more "
        "(PPN 002). Other authorities notify from £30,000.",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Why can this organisation not be verified?",
        help_text="The organisation's administrators will read this. Say what they need to "
        "correct.", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address")
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        roles = AUTHORITY_ROLES if organisation.is_authority else PROVIDER_ROLES
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r in roles]


class SwitchOrganisationForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label="Which organisation are you working for?", coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
