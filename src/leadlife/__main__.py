"""``python -m leadlife``: the demo of the library on built-in data."""

from __future__ import annotations

from leadlife._adapters.demo import main

if __name__ == "__main__":
    main()
