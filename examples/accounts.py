"""Match a month of leads to the accounts of a CRM, bring one into an open deal, report by account.

The CRM holds three accounts (one with a subsidiary on a subdomain). Leads
come in from forms with work or free mail addresses and company names as
people type them. Each is matched by domain and plain name: the match and its
grounds are recorded on the lead, the undecided ones are listed with their
candidates for a person to choose. Then a lead from a bank is brought into
the bank's open deal (Salesforce's "convert into an existing account and
opportunity"), and the book is read by account: people, buying group,
touches, pipeline. Run: python examples/accounts.py
"""

from datetime import UTC, date, datetime, timedelta

from leadlife import (
    Company,
    Contact,
    DecisionRole,
    FixedClock,
    LeadId,
    Lifecycle,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    Source,
    replay,
)
from leadlife.accounts import Account, AccountIndex, by_account
from leadlife.followup import Channel, TouchOutcome

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
ACCOUNTS = AccountIndex(
    [
        Account(key="001A", name="U.S. Bank", domains={"usbank.com"}),
        Account(key="002B", name="Acme GmbH", domains={"acme.de", "acme.com"}),
        Account(key="003C", name="Acme UK Ltd", domains={"uk.acme.com"}),
    ]
)
FORMS = [
    # name, address, company as typed, role
    ("Ada Lovelace", "ada@usbank.com", "US Bank", DecisionRole.CHAMPION),
    ("Grace Hopper", "grace@gmail.com", "U.S. Bank", DecisionRole.INFLUENCER),
    ("Alan Turing", "alan@uk.acme.com", "Acme", DecisionRole.USER),
    ("Edsger Dijkstra", "edsger@acme.de", "ACME", DecisionRole.DECISION_MAKER),
    ("Barbara Liskov", "barbara@usbank.com", "Acme GmbH", DecisionRole.UNKNOWN),
    ("Donald Knuth", "don@gmail.com", None, DecisionRole.UNKNOWN),
]

LOOKED_UP = {"Alan Turing": "003C", "Barbara Liskov": "001A"}
"""What a person decided for the leads the evidence left undecided."""


def main() -> None:
    """Capture, match, link, join a deal, report."""
    clock = FixedClock(START)
    life = Lifecycle(clock=clock)
    deal = life.start(
        Opportunity(
            id=OpportunityId("O-1"),
            prospect_id=ProspectId("P-1"),
            stage="proposal",
            contact=Contact(name="Rear Admiral", role=DecisionRole.DECISION_MAKER),
            source=Source(channel="referral"),
            account="001A",
            name="Bank-wide rollout",
            amount=Money.of("120000", "USD"),
            expected_close=date(2026, 6, 30),
            win_probability=0.4,
            created_at=START - timedelta(days=20),
        ),
        actor="crm",
    )
    book = [deal]
    print("Matching the month's leads to the CRM's accounts:")
    for number, (name, email, company, role) in enumerate(FORMS, start=1):
        clock.advance(timedelta(hours=5))
        lead = life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(name=name, email=email, role=role),
            company=None if company is None else Company(name=company),
            source=Source(channel="web", campaign="spring"),
            actor="form",
        )
        life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="sam")
        found = ACCOUNTS.match(lead.record)
        print(f"  {name:<16} {found}")
        if found.account is not None:
            life.link_account(lead, found, actor="matcher")
        elif found.ambiguous:
            chosen = ACCOUNTS[LOOKED_UP[name]]  # a person looked, among the candidates
            assert chosen in found.candidates
            life.link_account(lead, chosen, actor="sam", reason=f"undecided: {found.why}")
        book.append(lead)
        assert replay(lead.events) == lead.record

    ada = book[1]
    life.join_deal(ada, deal, key="ada", actor="sam", reason="she is on the rollout")
    print(f"\nAda joined {deal.record.name!r}: {ada.record.merged_into} now holds her journey;")
    print(f"  its committee: {', '.join(m.key for m in deal.record.committee)}")

    report = by_account(book)
    print("\nBy account:")
    for account in report.accounts:
        row = account.row()
        print(
            f"  {row['account']}: {row['people']} people, {row['touches']} touches "
            f"({row['answered']} answered), open {row['open']}, "
            f"pipeline {row['pipeline'] or 'none'}, missing {row['missing'] or 'nobody'}"
        )
    print(f"  not linked: {', '.join(map(str, report.unlinked))}")
    assert report["001A"].pipeline == (Money.of("120000", "USD"),)
    assert [str(record) for record in report.unlinked] == ["L-6"]
    assert report["003C"].people == ("Alan Turing",)


if __name__ == "__main__":
    main()
