"""Matching people to accounts: by domain and plain name, explained, never guessing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife import Company, Contact, LeadId, Lifecycle, Source
from leadlife.accounts import Account, AccountIndex, AccountMatch
from leadlife.errors import ValidationError

BANK = Account(key="001A", name="U.S. Bank", domains={"usbank.com"})
ACME = Account(key="002B", name="Acme GmbH", domains={"acme.de", "acme.com"})
ACME_UK = Account(key="003C", name="Acme UK Ltd", domains={"uk.acme.com"})
INDEX = AccountIndex([BANK, ACME, ACME_UK])


def match(email=None, company=None, website=None):
    return INDEX.match_facts(
        contact=None if email is None else Contact(name="Ada", email=email),
        company=None if company is None else Company(name=company, website=website),
        website=None if company is not None else website,
    )


def test_a_work_address_matches_by_its_domain():
    found = match(email="ada@usbank.com")
    assert found.account is BANK
    assert found.basis == ("domain usbank.com",)
    assert str(found) == "001A (U.S. Bank): domain usbank.com"


def test_names_are_compared_plain_as_the_duplicate_finder_does():
    for written in ("US Bank", "U.S bank", "u. s. BANK", "US Bank"):
        found = match(company=written)
        assert (found.account, found.basis) == (BANK, ("name 'us bank'",)), written
    assert match(company="ACME").account is ACME  # the legal form set aside


def test_a_subdomain_belongs_to_its_domains_account_unless_an_account_has_it():
    assert match(email="ada@mail.usbank.com").basis == ("domain usbank.com",)
    assert match(email="ada@eu.acme.com").account is ACME
    assert match(email="ada@uk.acme.com").account is ACME_UK
    assert match(email="ada@london.uk.acme.com").basis == ("domain uk.acme.com",)


def test_the_website_counts_and_one_basis_is_said_once():
    found = match(email="ada@acme.de", company="Acme", website="https://www.acme.de/kontakt")
    assert found.basis == ("domain acme.de", "name 'acme'")


def test_free_mail_says_nothing():
    found = match(email="ada@gmail.com")
    assert found.account is None
    assert found.why == "no work domain and no company name to match"
    assert str(found) == "no account: no work domain and no company name to match"


def test_conflicting_evidence_is_no_match_and_names_the_candidates():
    found = match(email="ada@usbank.com", company="Acme")
    assert found.account is None
    assert found.candidates == (BANK, ACME)
    assert found.ambiguous
    assert found.why == "the domain points at 001A, the name at 002B"


def test_a_shared_domain_or_name_is_settled_only_by_the_other():
    twins = AccountIndex(
        [
            Account(key="G", name="Globex Holding", domains={"globex.com"}),
            Account(key="S", name="Globex Services", domains={"globex.com"}),
        ]
    )
    shared = twins.match_facts(contact=Contact(name="Ada", email="a@globex.com"), company=None)
    assert (shared.account, shared.why) == (None, "G, S share the domain")
    settled = twins.match_facts(
        contact=Contact(name="Ada", email="a@globex.com"), company=Company(name="Globex Services")
    )
    assert settled.account.key == "S"
    assert settled.basis == ("domain globex.com", "name 'globex services'")
    names = AccountIndex([Account(key="A", name="Initech"), Account(key="B", name="Initech Inc")])
    both = names.match_facts(contact=None, company=Company(name="INITECH"))
    assert (both.account, both.why) == (None, "A, B share the name 'initech'")


def test_no_account_says_what_was_looked_for():
    found = match(email="ada@initech.com", company="Initech")
    assert found.why == "no account has domain initech.com or name 'initech'"
    assert found.candidates == ()
    assert not found.ambiguous


def test_a_record_is_matched_from_its_contact_and_company():
    life = Lifecycle()
    lead = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada", email="ada@gmail.com"),
        company=Company(name="Acme Corp", website="https://acme.com"),
        source=Source(channel="web"),
        actor="ops",
    )
    assert INDEX.match(lead.record).basis == ("domain acme.com", "name 'acme'")


def test_the_index_refuses_what_is_not_an_account_and_repeated_keys():
    with pytest.raises(ValidationError, match="Account values"):
        AccountIndex([BANK, "002B"])
    with pytest.raises(ValidationError, match="distinct account keys"):
        AccountIndex([BANK, Account(key="001A", name="Other")])
    assert len(INDEX) == 3
    assert INDEX["002B"] is ACME
    assert "001A" in INDEX
    assert "999" not in INDEX


@pytest.mark.parametrize(
    "domains",
    [
        {"https://acme.com"},
        {"ada@acme.com"},
        {"Acme.com"},
        {"acme"},
        {"acme.com/about"},
        "acme.com",
    ],
)
def test_an_account_refuses_what_is_not_a_domain(domains):
    with pytest.raises(ValidationError, match="domains"):
        Account(key="X", name="Acme", domains=domains)


accounts = st.lists(
    st.builds(
        Account,
        key=st.sampled_from("ABCDEF"),
        name=st.sampled_from(["Acme", "ACME GmbH", "U.S. Bank", "US Bank", "Initech"]),
        domains=st.frozensets(st.sampled_from(["acme.com", "usbank.com", "initech.com"])),
    ),
    unique_by=lambda account: account.key,
    max_size=5,
)
facts = st.tuples(
    st.sampled_from([None, "ada@acme.com", "ada@eu.acme.com", "ada@usbank.com", "ada@gmail.com"]),
    st.sampled_from([None, "Acme", "U.S. Bank", "Initech", "Globex"]),
)


@given(accounts, facts)
def test_a_match_is_one_account_all_the_evidence_agrees_on(given_accounts, fact):
    email, name = fact
    index = AccountIndex(given_accounts)
    contact = None if email is None else Contact(name="Ada", email=email)
    company = None if name is None else Company(name=name)
    found = index.match_facts(contact=contact, company=company)
    # The oracle: what each kind of evidence points at, by plain comparison.
    domain = None if email is None or "gmail" in email else email.split("@")[1].removeprefix("eu.")
    plain = {"Acme": "acme", "U.S. Bank": "us bank", "Initech": "initech", "Globex": "globex"}
    names = {"Acme": "acme", "ACME GmbH": "acme", "U.S. Bank": "us bank", "US Bank": "us bank"}
    names["Initech"] = "initech"
    by_domain = {a.key for a in given_accounts if domain in a.domains}
    by_name = {a.key for a in given_accounts if name and names[a.name] == plain[name]}
    assert {a.key for a in found.candidates} == by_domain | by_name
    # The domain decides, the name may narrow it; a name alone decides when no domain fits.
    agreed = (by_domain & by_name if by_name else by_domain) if by_domain else by_name
    expected = next(iter(agreed)) if len(agreed) == 1 else None
    assert (found.account.key if found.account else None) == expected
    assert isinstance(found, AccountMatch)
    assert (found.why is None) == (found.account is not None)
    # The same accounts in another order match the same way.
    again = AccountIndex(reversed(given_accounts)).match_facts(contact=contact, company=company)
    assert again == found
