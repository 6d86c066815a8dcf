"""Short reprs for error messages.

An error names the value it refused; the value may be huge or nested
thousands of levels deep (a hostile document), and ``repr`` of such a value
is itself unbounded work that may exhaust the stack. :func:`brief` is bounded.
"""

from __future__ import annotations

import reprlib

_BRIEF = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxstring, _BRIEF.maxother, _BRIEF.maxlong = 3, 80, 80, 40
_BRIEF.maxlist = _BRIEF.maxtuple = _BRIEF.maxdict = _BRIEF.maxset = _BRIEF.maxfrozenset = 6


def brief(value: object) -> str:
    """A repr short enough for an error message, whatever the value's size or depth."""
    return _BRIEF.repr(value)
