"""Where a vault keeps personal data: in memory, in an SQLite file, or somewhere of yours.

A storage keeps, per subject (a person), a secret and the values sealed
under it; forgetting a subject deletes both. The SQLite storage deletes
securely (``PRAGMA secure_delete``: freed pages are overwritten with zeros)
and keeps a rollback journal rather than a write-ahead log, so an erased
value is not left behind in the file or beside it.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections.abc import Collection
from pathlib import Path
from typing import Protocol, runtime_checkable

from leadlife._core.support.errors import StoreError

SECRET_BYTES = 32
"""The length of a subject's secret: an HMAC-SHA256 key."""


@runtime_checkable
class VaultStorage(Protocol):
    """What a :class:`~leadlife.privacy.Vault` keeps its subjects' secrets and values in.

    Implement it over your own database or key service to keep personal data
    there (each method is one small transaction).

    Example:
        >>> from leadlife.privacy import InMemoryVaultStorage, SQLiteVaultStorage, VaultStorage
        >>> isinstance(InMemoryVaultStorage(), VaultStorage)
        True
        >>> isinstance(SQLiteVaultStorage(":memory:"), VaultStorage)
        True
    """

    def secret(self, subject: str) -> bytes:
        """The subject's secret, made on first use (random, 32 bytes: an HMAC-SHA256 key)."""
        ...

    def keep(self, subject: str, digest: str, value: str) -> None:
        """Keep ``value`` of ``subject`` under ``digest`` (again: no change)."""
        ...

    def find(self, digests: Collection[str]) -> dict[str, str]:
        """The values kept under ``digests``, by digest; those forgotten are missing."""
        ...

    def forget(self, subject: str) -> int:
        """Delete the subject's secret and values; how many values were deleted."""
        ...

    def holds(self, subject: str) -> dict[str, str]:
        """Every value kept of ``subject``, by digest."""
        ...


class InMemoryVaultStorage:
    """A vault storage in a dictionary, for tests and notebooks.

    Example:
        >>> from leadlife.privacy import InMemoryVaultStorage
        >>> storage = InMemoryVaultStorage()
        >>> storage.keep("lead:L-1", "ab" * 16, "Ada")
        >>> storage.forget("lead:L-1"), storage.find(["ab" * 16])
        (1, {})
    """

    __slots__ = ("_lock", "_secrets", "_subjects", "_values")

    def __init__(self) -> None:
        self._secrets: dict[str, bytes] = {}
        self._values: dict[str, str] = {}
        self._subjects: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def secret(self, subject: str) -> bytes:
        """The subject's secret, made on first use."""
        with self._lock:
            return self._secrets.setdefault(subject, secrets.token_bytes(SECRET_BYTES))

    def keep(self, subject: str, digest: str, value: str) -> None:
        """Keep ``value`` under ``digest``."""
        with self._lock:
            self._values[digest] = value
            self._subjects.setdefault(subject, set()).add(digest)

    def find(self, digests: Collection[str]) -> dict[str, str]:
        """The values kept under ``digests``."""
        values = self._values
        return {digest: values[digest] for digest in digests if digest in values}

    def forget(self, subject: str) -> int:
        """Delete the subject's secret and values."""
        with self._lock:
            self._secrets.pop(subject, None)
            digests = self._subjects.pop(subject, set())
            for digest in digests:
                del self._values[digest]
            return len(digests)

    def holds(self, subject: str) -> dict[str, str]:
        """Every value kept of ``subject``."""
        return self.find(self._subjects.get(subject, ()))


_SCHEMA = (
    (
        "CREATE TABLE IF NOT EXISTS leadlife_vault_subjects "
        "(subject TEXT PRIMARY KEY, secret BLOB NOT NULL)"
    ),
    (
        "CREATE TABLE IF NOT EXISTS leadlife_vault_values "
        "(digest TEXT PRIMARY KEY, subject TEXT NOT NULL, value TEXT NOT NULL)"
    ),
    "CREATE INDEX IF NOT EXISTS leadlife_vault_by_subject ON leadlife_vault_values (subject)",
)
_FIND = "SELECT digest, value FROM leadlife_vault_values WHERE digest IN ({})"
_CHUNK = 500


class SQLiteVaultStorage:
    """A vault storage in an SQLite file of its own (``":memory:"`` for one in memory).

    Erased values are overwritten in the file (``secure_delete``), and the
    file keeps a rollback journal, not a write-ahead log, so nothing erased
    is left beside it. Keep it apart from the event store's file: the store
    is append-only and large, the vault small and erasable.

    Raises:
        StoreError: The file cannot be opened as a vault.

    Example:
        >>> from leadlife.privacy import SQLiteVaultStorage
        >>> storage = SQLiteVaultStorage(":memory:")
        >>> storage.keep("lead:L-1", "ab" * 16, "Ada")
        >>> storage.holds("lead:L-1")
        {'abababababababababababababababab': 'Ada'}
    """

    __slots__ = ("_connection", "_lock")

    def __init__(self, path: str | Path) -> None:
        try:
            connection = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the vault {str(path)!r}: {error}") from error
        try:
            (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() == "wal":
                connection.close()
                raise StoreError(
                    f"the vault {str(path)!r} is a file with a write-ahead log (an event "
                    "store's?), which would keep erased values beside it: give the vault a "
                    "file of its own"
                )
            connection.execute("PRAGMA journal_mode = DELETE")  # no journal left beside it
            connection.execute("PRAGMA secure_delete = ON")
            for statement in _SCHEMA:
                connection.execute(statement)
        except sqlite3.Error as error:
            connection.close()
            raise StoreError(f"cannot open the vault {str(path)!r}: {error}") from error
        self._connection = connection
        self._lock = threading.Lock()

    def secret(self, subject: str) -> bytes:
        """The subject's secret, made on first use."""
        with self._lock:
            connection = self._connection
            connection.execute(
                "INSERT OR IGNORE INTO leadlife_vault_subjects (subject, secret) VALUES (?, ?)",
                (subject, secrets.token_bytes(SECRET_BYTES)),
            )
            (found,) = connection.execute(
                "SELECT secret FROM leadlife_vault_subjects WHERE subject = ?", (subject,)
            ).fetchone()
            return bytes(found)

    def keep(self, subject: str, digest: str, value: str) -> None:
        """Keep ``value`` under ``digest``."""
        with self._lock:
            self._connection.execute(
                "INSERT OR REPLACE INTO leadlife_vault_values (digest, subject, value) "
                "VALUES (?, ?, ?)",
                (digest, subject, value),
            )

    def find(self, digests: Collection[str]) -> dict[str, str]:
        """The values kept under ``digests``."""
        wanted = list(digests)
        found: dict[str, str] = {}
        with self._lock:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                found.update(self._connection.execute(_FIND.format(marks), chunk).fetchall())
        return found

    def forget(self, subject: str) -> int:
        """Delete the subject's secret and values, overwriting them in the file."""
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                deleted = connection.execute(
                    "DELETE FROM leadlife_vault_values WHERE subject = ?", (subject,)
                ).rowcount
                connection.execute(
                    "DELETE FROM leadlife_vault_subjects WHERE subject = ?", (subject,)
                )
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return int(deleted)

    def holds(self, subject: str) -> dict[str, str]:
        """Every value kept of ``subject``."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT digest, value FROM leadlife_vault_values WHERE subject = ?", (subject,)
            ).fetchall()
        return dict(rows)

    def close(self) -> None:
        """Close the file."""
        self._connection.close()
