"""GOV.UK Frontend forms: the project form renderer and fields Django lacks (dates)."""

from core.forms.fields import GovukDateField, GovukDateInput

__all__ = ["GovukDateField", "GovukDateInput"]
