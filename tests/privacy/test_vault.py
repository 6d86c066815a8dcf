"""The personal-data vault: sealed histories hold no one, the erased are gone, replay is exact."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime

import attrs
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadlife import (
    Contact,
    DecisionRole,
    FixedClock,
    History,
    LeadId,
    Lifecycle,
    OpportunityId,
    ProspectId,
    Source,
    dump,
    load,
    replay,
)
from leadlife.analytics import event_table, write_archive
from leadlife.duplicates import MergePolicy
from leadlife.errors import HistoryError, StoreError, ValidationError
from leadlife.events import PersonalDataErased
from leadlife.privacy import (
    PERSONAL_FIELDS,
    WITHHELD,
    InMemoryVaultStorage,
    SQLiteVaultStorage,
    Vault,
    person,
    subject_of,
)
from leadlife.store import SQLiteStore
from leadlife.values import Log
from strategies import journeys, qualifying_evidence

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def contacts_in(item):
    """Every contact anywhere in an event (or record), by walking its attrs fields."""
    found = []

    def walk(value):
        if isinstance(value, Contact):
            found.append(value)
        elif isinstance(value, tuple | Log):
            for each in value:
                walk(each)
        elif attrs.has(type(value)):
            for field in attrs.fields(type(value)):
                walk(getattr(value, field.name))

    walk(item)
    return found


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(journeys(max_steps=12))
def test_a_sealed_history_holds_no_personal_field_and_unseals_to_itself(histories):
    vault = Vault()
    for history in histories:
        sealed = vault.seal(history)
        for event in sealed.events:
            for contact in contacts_in(event):
                assert all(getattr(contact, field) in (None, WITHHELD) for field in PERSONAL_FIELDS)
        assert replay(sealed.events) == sealed.record
        assert vault.seal(sealed) is sealed  # sealed already: nothing to do
        unsealed = vault.unseal(sealed)
        assert list(unsealed.events) == list(history.events)
        assert unsealed.record == history.record


def lifecycle():
    return Lifecycle(clock=FixedClock(AT))


def capture(life, number, **facts):
    return life.capture(
        id=LeadId(f"L-{number}"),
        contact=Contact(**facts),
        source=Source(channel="web"),
        actor="form",
    )


def test_changes_of_contact_and_merges_still_replay_once_erased():
    life, vault = lifecycle(), Vault()
    ada = capture(life, 1, name="Ada", email="ada@example.com")
    life.change_contact(ada, Contact(name="Ada L.", email="ada@example.com"), actor="sam")
    life.change_contact(ada, Contact(name="Ada L.", phone="+44 20 7946 0000"), actor="sam")
    twin = capture(life, 2, name="Ada Lovelace", title="Countess")
    life.merge(ada, twin, actor="sam")
    life.unmerge(ada, twin, actor="sam")
    sealed = [vault.seal(ada), vault.seal(twin)]
    erasure = vault.erase(person(sealed, LeadId("L-1")))
    assert erasure.subjects == ("lead:L-1",)
    # Two names, an address, a phone, and the title the merge took from the twin: each once.
    assert erasure.values == 5
    erased = vault.unseal(sealed[0])
    assert replay(erased.events) == erased.record
    assert erased.record.contact.name == WITHHELD
    assert [entry.partition("=")[0] for entry in erased.record.contact.withheld] == [
        "name",
        "phone",
    ]
    # The other person is whole.
    assert vault.unseal(sealed[1]).record == twin.record


def test_person_follows_conversions_merges_and_joined_deals_but_not_the_deal():
    life = lifecycle()
    lead = capture(life, 1, name="Ada")
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(lead, event, actor="ops")
    prospect = life.qualify(
        lead, prospect_id=ProspectId("P-1"), actor="ops", evidence=qualifying_evidence(AT)
    )
    deal = life.open_opportunity(
        prospect,
        opportunity_id=OpportunityId("O-1"),
        name="Deal",
        amount=None,
        expected_close=None,
        win_probability=None,
        actor="ops",
    )
    twin = capture(life, 2, name="Ada L.")
    life.merge(lead_like := capture(life, 3, name="Ada"), twin, actor="ops")
    other = capture(life, 4, name="Grace")
    life.join_deal(other, deal, key="grace", actor="ops")
    book = [lead, prospect, deal, twin, lead_like, other]
    assert person(book, OpportunityId("O-1")) == (
        "opportunity:O-1",
        "prospect:P-1",
        "lead:L-1",
    )
    assert set(person(book, LeadId("L-2"))) == {"lead:L-2", "lead:L-3"}
    assert person(book, LeadId("L-4")) == ("lead:L-4", "opportunity:O-1/grace")


def test_an_erasure_is_recorded_on_the_history_read_back_sealed():
    life, vault = lifecycle(), Vault()
    lead = capture(life, 1, name="Ada", email="ada@example.com")
    with pytest.raises(HistoryError, match="holds its personal fields"):
        life.record_erasure(lead, ["lead:L-1"], actor="dpo")
    sealed = vault.seal(lead)
    erasure = vault.erase(["lead:L-1"])
    event = life.record_erasure(sealed, erasure.subjects, actor="dpo", reason="asked")
    assert isinstance(event, PersonalDataErased)
    assert event.subjects == ("lead:L-1",)
    assert replay(sealed.events) == sealed.record
    with pytest.raises(ValidationError, match="at least one subject"):
        life.record_erasure(sealed, [], actor="dpo")
    with pytest.raises(ValidationError, match="subjects"):
        life.record_erasure(sealed, "lead:L-1", actor="dpo")


def test_the_vault_refuses_what_it_cannot_take():
    with pytest.raises(ValidationError, match="a VaultStorage"):
        Vault(storage={})
    with pytest.raises(ValidationError, match="a list of subjects"):
        Vault().erase("lead:L-1")
    with pytest.raises(ValidationError, match="a History, an event or a record"):
        Vault().seal("Ada")
    with pytest.raises(ValidationError, match="32 hex digits"):
        Contact(name=WITHHELD, withheld=["name=nothex"])
    with pytest.raises(ValidationError, match="one reference a field"):
        Contact(name=WITHHELD, withheld=["name=" + "a" * 32, "name=" + "b" * 32])
    with pytest.raises(ValidationError, match="email withheld"):
        Contact(name="Ada", email="a@b.co", withheld=["email=" + "a" * 32])


def test_a_record_and_an_event_are_sealed_alone_too():
    life, vault = lifecycle(), Vault()
    lead = capture(life, 1, name="Ada", title="Countess")
    record = vault.seal(lead.record)
    assert (record.contact.name, record.contact.title) == (WITHHELD, None)
    assert vault.unseal(record) == lead.record
    event = vault.seal(lead.events[0])
    assert vault.unseal(event) == lead.events[0]
    assert vault.held("lead:L-1") == {
        entry.partition("=")[2]: value
        for entry, value in zip(record.contact.withheld, ["Ada", "Countess"], strict=True)
    }


def test_the_sqlite_vault_wants_a_file_of_its_own(tmp_path):
    store = SQLiteStore(tmp_path / "book.sqlite")  # a write-ahead log
    with pytest.raises(StoreError, match="give the vault a file of its own"):
        SQLiteVaultStorage(tmp_path / "book.sqlite")
    store.close()
    with pytest.raises(StoreError, match="cannot open the vault"):
        SQLiteVaultStorage(tmp_path / "missing" / "vault.sqlite")
    (tmp_path / "text.sqlite").write_text("not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the vault"):
        SQLiteVaultStorage(tmp_path / "text.sqlite")


# -- The promise: after an erase, no byte of the person anywhere; replay still exact.

people = st.integers(min_value=1, max_value=4)


def facts(person_number, version):
    """Personal values no other text in a book could contain by chance."""
    tag = f"{person_number}x{version}"
    return {
        "name": f"Zorblat Person {tag}",
        "email": f"zorblat.{tag}@mail-{tag}.example",
        "phone": f"+1 555 010 {person_number}{version:03d}",
        "title": f"Chief Zorblat {tag}",
    }


@st.composite
def books(draw):
    life = Lifecycle(clock=FixedClock(AT), pressure_cap=None)  # the clock moves by hand below
    histories: dict[str, History] = {}
    values: dict[int, set[str]] = {}
    count = draw(people)
    for number in range(1, count + 1):
        first = facts(number, 0)
        values[number] = set(first.values())
        lead = life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(role=DecisionRole.CHAMPION, **first),
            source=Source(channel="web"),
            actor="form",
        )
        histories[f"L-{number}"] = lead
        for version in range(1, draw(st.integers(0, 2)) + 1):
            new = facts(number, version)
            values[number] |= set(new.values())
            life.change_contact(lead, Contact(**new), actor="sam")
        if draw(st.booleans()):  # a colleague named on the record: another person
            member = facts(number + 10, 0)
            values[number + 10] = set(member.values())
            life.add_member(lead, "colleague", Contact(**member), actor="sam")
    return histories, values


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books(), st.data())
def test_after_an_erase_no_byte_of_the_person_is_anywhere_and_replay_is_exact(
    tmp_path_factory, drawn, data
):
    histories, values = drawn
    folder = tmp_path_factory.mktemp("erase")
    storage = SQLiteVaultStorage(folder / "vault.sqlite")
    vault = Vault(storage)
    store = SQLiteStore(folder / "book.sqlite")
    for history in histories.values():
        store.save(vault.seal(history))
    gone = data.draw(st.sampled_from(sorted(histories)))
    number = int(gone.split("-")[1])
    read = [vault.unseal(h) for h in store.histories()]
    for history in read:  # before: everything unseals to what was captured
        assert history.record == histories[str(history.record_id)].record
    erasure = vault.erase(person(store.histories(), LeadId(gone)))
    assert erasure.subjects == (f"lead:{gone}",)
    # Everything made after the erase, from the store.
    after = [vault.unseal(h) for h in store.histories()]
    text = io.StringIO()
    dump(after, text)
    write_archive(after, folder / "archive.parquet")
    table = event_table(after)
    colleague = histories[gone].record.committee
    # The colleague on the erased record is somebody else: kept, under their own subject.
    assert bool(vault.held(subject_of(LeadId(gone), "colleague"))) == bool(colleague)
    store.close()
    storage.close()
    erased_values = values[number]
    files = [path.read_bytes() for path in sorted(folder.iterdir())]
    archived = str(pq.read_table(folder / "archive.parquet").to_pylist())
    for value in erased_values:
        raw = value.encode()
        assert not any(raw in content for content in files), value
        assert raw not in text.getvalue().encode()
        assert value not in archived
        assert value not in str(table.to_pylist())
    for history in after:
        assert replay(history.events) == history.record
        original = histories[str(history.record_id)]
        if str(history.record_id) == gone:
            assert history.record.contact.name == WITHHELD
            assert history.record.contact.withheld
        else:
            assert history.record == original.record  # the others are whole
    # And what was dumped loads back to the same histories.
    assert list(load(io.StringIO(text.getvalue()))) == after
    assert sqlite3.connect(folder / "vault.sqlite").execute(
        "SELECT COUNT(*) FROM leadlife_vault_values WHERE subject = ?", (f"lead:{gone}",)
    ).fetchone() == (0,)


def test_in_memory_storage_forgets_and_finds_nothing_of_whom_it_forgot():
    storage = InMemoryVaultStorage()
    secret = storage.secret("lead:L-1")
    assert storage.secret("lead:L-1") == secret
    storage.keep("lead:L-1", "a" * 32, "Ada")
    storage.keep("lead:L-2", "b" * 32, "Bo")
    assert storage.find(["a" * 32, "b" * 32, "c" * 32]) == {"a" * 32: "Ada", "b" * 32: "Bo"}
    assert storage.forget("lead:L-1") == 1
    assert storage.forget("lead:L-1") == 0
    assert storage.holds("lead:L-2") == {"b" * 32: "Bo"}
    assert storage.secret("lead:L-1") != secret  # a new secret: the old references stay dead


def test_a_merge_takes_a_personal_field_with_its_reference_or_without():
    life, vault = lifecycle(), Vault()
    sealed = vault.seal(capture(life, 1, name="Ada", email="ada@example.com"))
    plain = capture(life, 2, name="Ada Lovelace", phone="+44 20 7946 0000")
    policy = MergePolicy(default="survivor", fields={"contact.name": "absorbed"})
    life.merge(sealed, plain, actor="ops", policy=policy)
    contact = sealed.record.contact
    assert (contact.name, contact.phone) == ("Ada Lovelace", "+44 20 7946 0000")
    assert [entry.partition("=")[0] for entry in contact.withheld] == ["email"]
    assert replay(sealed.events) == sealed.record
    assert vault.unseal(sealed).record.contact.email == "ada@example.com"


def test_what_holds_no_reference_unseals_to_itself_and_exports_as_it_is():
    life, vault = lifecycle(), Vault(InMemoryVaultStorage())
    plain = capture(life, 1, name="Ada")
    assert vault.unseal(plain) is plain
    assert isinstance(vault.storage, InMemoryVaultStorage)
    export = vault.export([plain], LeadId("L-1"))  # kept unsealed: exported as it is
    assert export["held"] == {"lead:L-1": []}
    assert export["histories"][0]["data"][0]["lead"]["contact"]["name"] == "Ada"
    # A subject whose record is not in the book given is named, with nothing to show.
    joined = vault.export([], LeadId("L-9"))
    assert (joined["subjects"], joined["histories"], joined["memberships"]) == (
        ["lead:L-9"],
        [],
        [],
    )
