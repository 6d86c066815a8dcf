"""Stores to run the contract on: SQLite in a file and in memory, and a real PostgreSQL server.

The PostgreSQL server is started here, once per test session: ``initdb`` into
a temporary directory, ``pg_ctl`` on a free loopback port (as the
``postgres`` user when the tests run as root, which PostgreSQL refuses to
run as), stopped at the end. Each test gets a database of its own. Without
PostgreSQL's programs the PostgreSQL tests skip, saying so, unless
``LEADLIFE_REQUIRE_POSTGRES=1`` (as ``.ci/run`` sets it): then they fail.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from leadlife.store import EventStore, SQLiteStore


def _binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A running PostgreSQL server on loopback: its base connection string."""
    binaries = _binaries()
    if binaries is None:
        if os.environ.get("LEADLIFE_REQUIRE_POSTGRES") == "1":
            pytest.fail("LEADLIFE_REQUIRE_POSTGRES=1 but PostgreSQL's programs are not installed")
        pytest.skip("PostgreSQL's programs (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="leadlife-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = _free_port()

    def run(*command: str) -> None:
        program = [str(binaries / command[0]), *command[1:]]
        subprocess.run(_as_server_user(program), check=True, capture_output=True, text=True)  # noqa: S603 - our own programs

    run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    try:
        yield f"host=127.0.0.1 port={port} user=postgres"
    finally:
        run("pg_ctl", "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


_databases = itertools.count()


@pytest.fixture
def postgres_database(postgres_server) -> str:
    """A database of the test's own on the server: its connection string."""
    import psycopg  # noqa: PLC0415

    name = f"t{os.getpid()}_{next(_databases)}"
    with psycopg.connect(f"{postgres_server} dbname=postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{postgres_server} dbname={name}"


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "postgres"])
def open_store(request, tmp_path) -> Iterator[Callable[[], EventStore]]:
    """Opens the kind of store under test (each call another connection to the same one)."""
    opened: list[EventStore] = []
    if request.param == "sqlite-file":
        path = tmp_path / "events.sqlite"
        make: Callable[[], EventStore] = lambda: SQLiteStore(path)  # noqa: E731
    elif request.param == "sqlite-memory":
        memory = SQLiteStore(":memory:")
        make = lambda: memory  # noqa: E731 - a private database has one connection
    else:
        from leadlife.store import PostgresStore  # noqa: PLC0415

        conninfo = request.getfixturevalue("postgres_database")
        make = lambda: PostgresStore(conninfo)  # noqa: E731

    def opener() -> EventStore:
        store = make()
        opened.append(store)
        return store

    yield opener
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store) -> EventStore:
    return open_store()
