from datetime import UTC, datetime

import pytest

from leadlife import Company, CompanySize, Consent, ConsentStatus, Contact, DecisionRole, Source
from leadlife.errors import ValidationError
from leadlife.values import Objection, ObjectionKind

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_contact_role_is_unknown_until_someone_asks():
    assert Contact(name="Ada").role is DecisionRole.UNKNOWN


def test_contact_keeps_what_it_was_given():
    contact = Contact(name=" Ada ", email="Ada@Example.COM", phone="+49 (30) 123-4567", title="CTO")
    assert (contact.name, contact.email, contact.phone) == (
        " Ada ",
        "Ada@Example.COM",
        "+49 (30) 123-4567",
    )
    # An area code in brackets, as the US writes it, is a phone number too.
    assert Contact(name="Bo", phone="(415) 555-0132").phone == "(415) 555-0132"


@pytest.mark.parametrize(
    "email", ["ada", "ada@", "@example.com", "ada@example", "a b@example.com", 3]
)
def test_contact_refuses_what_is_not_an_email(email):
    with pytest.raises(ValidationError) as caught:
        Contact(name="Ada", email=email)
    assert (caught.value.owner, caught.value.field, caught.value.value) == (
        "Contact",
        "email",
        email,
    )


@pytest.mark.parametrize(
    "phone", ["1234", "phone", "+49 30 12345678901234567890", "--12345", "((415)) 555", 12345]
)
def test_contact_refuses_what_is_not_a_phone_number(phone):
    with pytest.raises(ValidationError) as caught:
        Contact(name="Ada", phone=phone)
    assert caught.value.field == "phone"


@pytest.mark.parametrize("name", ["", "   ", None, 7])
def test_contact_needs_a_name(name):
    with pytest.raises(ValidationError, match=r"Contact\.name"):
        Contact(name=name)


def test_contact_role_must_be_a_member_not_its_value():
    with pytest.raises(ValidationError, match="DecisionRole member"):
        Contact(name="Ada", role="champion")  # type: ignore[arg-type]


def test_company_defaults_to_unknown_size():
    assert Company(name="Acme").size is CompanySize.UNKNOWN


@pytest.mark.parametrize("website", ["acme.com", "ftp://acme.com", "https://", "https://acme"])
def test_company_website_must_be_an_http_url(website):
    with pytest.raises(ValidationError, match=r"Company\.website"):
        Company(name="Acme", website=website)


def test_company_accepts_an_https_url():
    assert Company(name="Acme", website="https://acme.example.com/about").website is not None


def test_source_needs_a_channel():
    with pytest.raises(ValidationError, match=r"Source\.channel"):
        Source(channel=" ")


def test_optional_text_may_be_absent_but_not_blank():
    assert Source(channel="web").campaign is None
    with pytest.raises(ValidationError, match=r"Source\.campaign"):
        Source(channel="web", campaign="")


def test_consent_defaults_to_unknown_and_contactable():
    consent = Consent()
    assert (consent.status, consent.do_not_contact, consent.recorded_at) == (
        ConsentStatus.UNKNOWN,
        False,
        None,
    )


def test_consent_refuses_a_naive_time():
    with pytest.raises(ValidationError, match="timezone-aware"):
        Consent(recorded_at=datetime(2026, 1, 1))


def test_consent_do_not_contact_must_be_a_bool():
    with pytest.raises(ValidationError, match="True or False"):
        Consent(do_not_contact=1)  # type: ignore[arg-type]


def test_objection_other_needs_a_note():
    with pytest.raises(ValidationError, match="note saying what"):
        Objection(kind=ObjectionKind.OTHER, raised_at=AT)
    assert (
        Objection(kind=ObjectionKind.OTHER, note="legal review", raised_at=AT).note
        == "legal review"
    )


def test_objection_of_a_known_kind_needs_no_note():
    assert Objection(kind=ObjectionKind.PRICE, raised_at=AT).note is None


def test_values_are_frozen():
    contact = Contact(name="Ada")
    with pytest.raises(AttributeError):
        contact.name = "Bo"  # type: ignore[misc]


def test_an_error_shows_a_brief_value_however_large_or_deep():
    hostile: list = []
    for _ in range(100_000):
        hostile = [hostile]
    with pytest.raises(ValidationError) as caught:
        Contact(name=hostile)  # type: ignore[arg-type]
    assert caught.value.value is hostile  # kept as given
    assert len(str(caught.value)) < 200
    with pytest.raises(ValidationError) as caught:
        Contact(name="x" * 10_000, email="y" * 10_000)
    assert len(str(caught.value)) < 200
