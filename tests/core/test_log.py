"""Log: an immutable, append-only sequence whose versions share storage."""

import copy
import pickle
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife.followup import Channel, Touch, Touches, TouchOutcome
from leadlife.values import Log

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_behaves_like_a_tuple():
    log = Log(["a", "b", "c"])
    assert len(log) == 3
    assert (log[0], log[-1], log[1:], log[::-1]) == ("a", "c", ("b", "c"), ("c", "b", "a"))
    assert list(log) == ["a", "b", "c"]
    assert list(reversed(log)) == ["c", "b", "a"]
    assert log == ("a", "b", "c")
    assert log == ("a", "b", "c")
    assert log != ["a", "b", "c"]  # like a tuple: not equal to a list
    assert hash(log) == hash(("a", "b", "c"))
    assert repr(log) == "Log(('a', 'b', 'c'))"
    with pytest.raises(IndexError):
        log[3]
    with pytest.raises(IndexError):
        log[-4]


def test_appending_leaves_the_old_version_as_it_was():
    first = Log(["a"])
    second = first.appended("b")
    third = second.appended("c")
    assert (first, second, third) == (("a",), ("a", "b"), ("a", "b", "c"))
    assert "c" not in second
    assert "c" in third


def test_appending_shares_storage_instead_of_copying():
    log = Log()
    versions = []
    for n in range(1000):
        log = log.appended(n)
        versions.append(log)
    assert len({id(version._storage) for version in versions}) == 1
    assert versions[10] == tuple(range(11))


def test_an_older_version_appended_again_branches_without_touching_the_newer():
    base = Log(["a", "b"])
    newer = base.appended("c")
    branch = base.appended("x")
    assert (newer, branch) == (("a", "b", "c"), ("a", "b", "x"))
    assert branch._storage is not newer._storage
    assert branch.appended("y") == ("a", "b", "x", "y")


def test_appending_the_item_that_follows_already_shares_it():
    base = Log(["a"])
    item = object()
    once = base.appended(item)
    again = base.appended(item)  # a second replay of the same events
    assert again._storage is once._storage
    assert again == once


def test_membership_counts_only_the_versions_own_items():
    base = Log(["a"])
    longer = base.appended("b")
    assert "b" in longer
    assert "b" not in base  # the storage has it, this version does not
    assert longer.appended("c").__contains__("c")
    assert "zzz" not in longer


def test_pickles_and_copies():
    log = Log([1, (2, 3)])
    for twin in (pickle.loads(pickle.dumps(log)), copy.copy(log), copy.deepcopy(log)):  # noqa: S301
        assert twin == log
        assert type(twin) is Log


def test_threads_appending_to_one_version_each_get_their_own_item():
    base = Log(range(10))
    results: dict[int, Log] = {}
    barrier = threading.Barrier(8)

    def append(worker: int) -> None:
        barrier.wait()
        for _ in range(300):
            results[worker] = base.appended(worker)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=append, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    for worker, log in results.items():
        assert log == (*range(10), worker)
        assert worker in log


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5)), max_size=60))
def test_any_sequence_of_appends_to_any_versions_reads_as_tuples(steps):
    # Each step appends a value to some earlier version: logs and tuples agree.
    logs, tuples = [Log()], [()]
    for pick, value in steps:
        index = pick % len(logs)
        logs.append(logs[index].appended(value))
        tuples.append((*tuples[index], value))
    for log, expected in zip(logs, tuples, strict=True):
        assert log == expected
        assert all((value in log) == (value in expected) for value in range(6))


def touch(hours: int, outcome: TouchOutcome = TouchOutcome.NO_ANSWER) -> Touch:
    return Touch(at=AT + timedelta(hours=hours), channel=Channel.EMAIL, outcome=outcome)


def test_touches_stay_in_time_order():
    with pytest.raises(ValueError, match="time order"):
        Touches([touch(2), touch(1)])
    assert Touches([touch(1), touch(1)]) == (touch(1), touch(1))


def test_touches_keep_the_last_answer_as_they_grow():
    touches = Touches()
    assert touches.last_answered() == -1
    touches = touches.appended(touch(1)).appended(touch(2, TouchOutcome.REPLIED))
    touches = touches.appended(touch(3))
    assert touches.last_answered() == 1
    assert touches.first_at_or_after(AT + timedelta(hours=2)) == 1
    assert touches.count_in(AT + timedelta(hours=1), AT + timedelta(hours=3)) == (1, 3)
    assert Touches([touch(1, TouchOutcome.REACHED)]).last_answered() == 0
