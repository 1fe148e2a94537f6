import django_filters
from django.db.models import Q

from organisations.models import Organisation


class VerificationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or identifier", method="search")
    verification_status = django_filters.ChoiceFilter(
        label="Status", choices=Organisation.Verification.choices, empty_label="Any status"
    )
    legal_form = django_filters.ChoiceFilter(
        label="Legal form", choices=Organisation.LegalForm.choices, empty_label="Any legal form"
    )

    class Meta:
        model = Organisation
        fields = ["q", "verification_status", "legal_form"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(org_id__icontains=value))
