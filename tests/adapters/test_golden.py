"""Documents written before keep loading: the example book as leadlife wrote it on 2026-12-06.

``tests/data/book-schema-1-spaced.jsonl`` is the example book as the converter
wrote it before documents became compact (a space after every ``,`` and
``:``): schema 1 is the same schema, so it loads to the same histories as the
book written today, by the fast reader and by the converter alike.
"""

from __future__ import annotations

from pathlib import Path

from leadlife import from_json, load
from leadlife._adapters import fast_read
from leadlife._adapters.documents import default_converter

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "data" / "book-schema-1-spaced.jsonl"
TODAY = ROOT / "examples" / "data" / "book.jsonl"


def test_a_book_written_before_loads_to_the_histories_of_the_book_written_today():
    before = list(load(GOLDEN.read_text().splitlines()))
    today = list(load(TODAY.read_text().splitlines()))
    assert [list(history.events) for history in before] == [
        list(history.events) for history in today
    ]
    assert [history.record for history in before] == [history.record for history in today]
    assert ", " in GOLDEN.read_text()[:100]  # it is the old layout
    assert ", " not in TODAY.read_text()[:100]


def test_each_line_of_it_is_read_fast_and_by_the_converter_alike():
    for line in GOLDEN.read_text().splitlines():
        fast = fast_read.read(line, None, (1,))
        slow = from_json(line, converter=default_converter())
        assert list(fast.events) == list(slow.events)
