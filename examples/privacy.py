"""Keep a book sealed, answer an access request, let retention propose an erasure, erase a person.

Twenty leads are captured (names, addresses, phones) and kept in an SQLite
event store sealed: their personal fields live in a vault file beside it.
One person asks what is held about them (the export); a year on, the agenda's
retention check proposes erasing the people whose journeys were closed long
enough; one is erased, the erasure recorded on their history, and then the
store's file, the vault's, a JSON Lines dump and a Parquet archive are
searched for anything of them: nothing is found, and every history still
replays. Run: python examples/privacy.py
"""

import io
import json
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from leadlife import (
    Consent,
    ConsentStatus,
    Contact,
    FixedClock,
    LeadId,
    Lifecycle,
    Source,
    dump,
    replay,
)
from leadlife.agenda import ActionKind, Agenda
from leadlife.analytics import write_archive
from leadlife.privacy import (
    LawfulBasis,
    PurposeConsent,
    RetentionDue,
    SQLiteVaultStorage,
    Vault,
    person,
)
from leadlife.screening import Reason
from leadlife.store import SQLiteStore

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
PEOPLE = 20


def facts(number: int) -> dict[str, str]:
    """One person's personal fields."""
    return {
        "name": f"Person {number:02d} Example",
        "email": f"person{number:02d}@example.com",
        "phone": f"+44 20 7946 {number:04d}",
    }


def main() -> None:
    """Capture, seal, export, retain, erase, search."""
    clock = FixedClock(START)
    life = Lifecycle(clock=clock)
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "book.sqlite")
        storage = SQLiteVaultStorage(Path(folder) / "vault.sqlite")
        vault = Vault(storage)
        outreach = PurposeConsent(
            purpose="sales_outreach",
            basis=LawfulBasis.LEGITIMATE_INTERESTS,
            source="web form",
            recorded_at=START,
            review_on=date(2027, 3, 1),
        )
        for number in range(PEOPLE):
            lead = life.capture(
                id=LeadId(f"L-{number}"),
                contact=Contact(**facts(number)),
                source=Source(channel="web"),
                consent=Consent(status=ConsentStatus.UNKNOWN, purposes=[outreach]),
                actor="form",
            )
            if number % 4 == 0:  # a quarter turn out not to be buyers
                life.send(lead, "engage", actor="sam")
                life.disqualify(lead, reason=Reason.NO_NEED, review=date(2026, 9, 1), actor="sam")
            store.save(vault.seal(lead))
        print(f"{PEOPLE} leads kept sealed; the event store holds no name:")
        print(f"  {store.history(LeadId('L-3')).record.contact}")

        book = list(store.histories())
        export = vault.export(book, LeadId("L-3"))
        print("\nWhat is held about L-3 (their access request):")
        print(f"  subjects {export['subjects']}, values {export['held']['lead:L-3']}")
        print(f"  {len(export['histories'])} history, {len(json.dumps(export))} bytes of JSON")

        a_year_on = START + timedelta(days=400)
        agenda = Agenda(checks=[RetentionDue(screened_out=timedelta(days=365))])
        due = [
            action for action in agenda(book, a_year_on) if action.action.kind is ActionKind.ERASE
        ]
        print(f"\nA year on, retention proposes {len(due)} erasures, the first:")
        print(f"  {due[0].action.record_id}: {due[0].action.reason}")

        clock.set(a_year_on)
        gone = due[0].history.record_id
        erasure = vault.erase(person(book, gone))
        erased = vault.unseal(store.history(gone))
        life.record_erasure(erased, erasure.subjects, actor="dpo", reason="retention")
        store.append(gone, erased.events[-1:], expected_version=len(erased) - 1)
        print(f"\nErased {erasure.subjects}: {erasure.values} values deleted from the vault")

        after = [vault.unseal(history) for history in store.histories()]
        text = io.StringIO()
        dump(after, text)
        write_archive(after, Path(folder) / "archive.parquet")
        store.close()
        storage.close()
        files = [path.read_bytes() for path in Path(folder).iterdir()]
        number = int(str(gone).split("-")[1])
        for value in facts(number).values():
            assert not any(value.encode() in content for content in files), value
            assert value not in text.getvalue()
        assert all(replay(history.events) == history.record for history in after)
        kept = {str(history.record_id): history.record for history in after}
        assert kept["L-1"].contact.email == "person01@example.com"  # everybody else is whole
        print(
            f"  searched {len(files)} files and a dump: nothing of {gone} is left; "
            f"{len(after)} histories still replay"
        )
        print(f"  {gone} now: {kept[str(gone)].contact.name}, erased {kept[str(gone)].erased_at}")


if __name__ == "__main__":
    main()
