"""Many writers at once, threads and processes: nothing lost, conflicts reported, appends whole.

The stores run for real: an SQLite file shared by connections and
processes, and a PostgreSQL server. A crash is a writer killed with
SIGKILL in the middle of its appends.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from writers import flood, open_store, writer

from leadlife import DefaultFunnel, LeadId

WRITERS = 4
TIMES = 5


@pytest.fixture(params=["sqlite", "postgres"])
def where(request, tmp_path) -> tuple[str, str]:
    if request.param == "sqlite":
        return "sqlite", str(tmp_path / "events.sqlite")
    return "postgres", request.getfixturevalue("postgres_database")


def check_whole(kind: str, location: str, expected: dict[str, int]) -> None:
    """Every history holds what its writers wrote, replays, and positions are gap-free."""
    store = open_store(kind, location)
    try:
        for key, count in expected.items():
            assert store.version(LeadId(key)) == count, key
        histories = list(store.histories(funnel=DefaultFunnel))
        assert {str(h.record_id) for h in histories} == set(expected)
        positions = [change.position for change in store.changes()]
        assert positions == list(range(1, sum(expected.values()) + 1))
    finally:
        store.close()


def test_threads_on_the_same_and_on_different_records(where):
    kind, location = where
    open_store(kind, location).close()  # the tables, made once
    # Each writer grows the shared lead and one of its own, TIMES times each.
    jobs = [(["SHARED", f"OWN-{n}"], f"w{n}") for n in range(WRITERS)]
    with ThreadPoolExecutor(WRITERS) as pool:
        conflicts = list(pool.map(lambda job: writer(kind, location, job[0], job[1], TIMES), jobs))
    expected = {"SHARED": 1 + WRITERS * TIMES} | {f"OWN-{n}": 1 + TIMES for n in range(WRITERS)}
    check_whole(kind, location, expected)
    assert sum(conflicts) >= 0  # reported and retried; how many depends on timing


def test_processes_on_the_same_record(where):
    kind, location = where
    open_store(kind, location).close()
    context = multiprocessing.get_context("spawn")
    with context.Pool(WRITERS) as pool:
        conflicts = pool.starmap(
            writer, [(kind, location, ["SHARED"], f"p{n}", TIMES) for n in range(WRITERS)]
        )
    check_whole(kind, location, {"SHARED": 1 + WRITERS * TIMES})
    assert all(count >= 0 for count in conflicts)


def test_a_writer_killed_mid_append_leaves_whole_appends_only(where):
    kind, location = where
    open_store(kind, location).close()
    batch = 50
    context = multiprocessing.get_context("spawn")
    process = context.Process(target=flood, args=(kind, location, batch))
    process.start()
    store = open_store(kind, location)
    try:
        deadline = time.monotonic() + 60
        while store.position < 5 * batch and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)  # most likely in the middle of an append
        process.join()
        histories = list(store.histories())
        assert histories, "the writer wrote nothing before it was killed"
        assert all(len(history) == batch for history in histories)
        assert store.position == batch * len(histories)
    finally:
        store.close()
