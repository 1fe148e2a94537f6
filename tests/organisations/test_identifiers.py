import pytest
from django.core.exceptions import ValidationError

from organisations import identifiers
from tests.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"charity_number": "1234567"}, "GB-CHC-1234567"),
        ({"charity_number": "", "company_number": "1234567"}, "GB-COH-01234567"),
        ({"charity_number": "", "company_number": "sc123456"}, "GB-COH-SC123456"),
        ({"charity_number": "", "oscr_number": "SC012345"}, "GB-SC-SC012345"),
        ({"charity_number": "", "fca_number": "31045R"}, "GB-MPR-31045R"),
    ],
)
def test_org_id_is_derived_from_the_most_authoritative_number(db, fields, expected):
    organisation = OrganisationFactory(**fields)
    assert organisation.org_id == expected


def test_company_number_is_kept_as_an_eight_character_string(db):
    organisation = OrganisationFactory(charity_number="", company_number="00012345")
    organisation.refresh_from_db()
    assert organisation.company_number == "00012345"


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (identifiers.validate_charity_number, "12AB"),
        (identifiers.validate_company_number, "123456789"),
        (identifiers.validate_oscr_number, "SC12"),
        (identifiers.validate_fca_number, "ABC"),
        (identifiers.validate_postcode, "NOT A CODE"),
    ],
)
def test_badly_formed_identifiers_are_refused_with_a_message(validator, value):
    with pytest.raises(ValidationError) as error:
        validator(value)
    assert "Enter" in error.value.messages[0]


def test_postcodes_are_normalised():
    assert identifiers.normalise_postcode("sw1a1aa") == "SW1A 1AA"
    identifiers.validate_postcode("sw1a 1aa")
