"""No traceback from the command line, ever: every command over a corpus of bad inputs.

Each case names a command line, the exit code the docs give it (1: a file
leadlife cannot read; 2: a bad command line; 3: an import that refused rows)
and what its message must name (the file, the line, the field or the
option). The commands run in-process with exceptions let through, so an
exception leadlife did not turn into a message fails the test with its
traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadlife._cli import commands
from leadlife._cli.commands import cli

DATA = Path(__file__).parents[2] / "examples" / "data"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Bad files of every kind, beside copies of the good example files."""
    folder = tmp_path_factory.mktemp("corpus")
    for name in ("book.jsonl", "default_funnel.json", "behaviour.json"):
        (folder / name).write_bytes((DATA / name).read_bytes())
    files = {
        "latin.json": '{"name": "Fé"}'.encode("latin-1"),
        "latin.csv": "Record ID,First Name\n1,Zoë\n".encode("cp1252"),
        "empty.json": b"",
        "not.json": b"not json",
        "object.json": b"{}",
        "truncated.json": b"[1, 2",
        "deep.json": b'{"a":' * 5000 + b"1" + b"}" * 5000,
        "nul.json": b'{"name": "\x00"}',
        "dunder.json": (
            b'{"name": "F", "stages": {"new": {"initial": true}, "__init__": {"final": true}},'
            b' "transitions": [{"event": "close", "source": "new", "target": "__init__"}]}'
        ),
        "leads.csv": b"Id,FirstName,Status,CreatedDate\n00Q1,Ada,Working - Contacted,2026-03-02\n",
        "foo.csv": b"foo,bar\n1,2\n",
        "twice.csv": b"Record ID,Email,Email\n1,a,b\n",
        "quote.csv": b'Record ID,First Name\n1,"Ada\n2,Bo\n3,Cy\n',
        "huge.csv": b"Record ID,First Name\n1," + b"x" * 140_000 + b"\n",
        "refused.csv": b"Record ID,First Name,Create Date\n1,Ada,2026-03-02\n2,,2026-03-02\n",
        "notes.txt": b"hello",
        "events.parquet": b"PAR1 not really",
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


CASES = [
    # (command line, exit code, what the message names)
    ("funnel check latin.json", 1, "latin.json"),
    ("funnel show latin.json", 1, "latin.json"),
    ("funnel show deep.json --format mermaid", 1, "nested at most"),
    ("funnel check empty.json", 1, "empty.json"),
    ("funnel check not.json", 1, "not valid JSON"),
    ("funnel check object.json", 1, "name is missing"),
    ("funnel check truncated.json", 1, "truncated.json"),
    ("funnel check dunder.json", 1, "__init__"),
    ("funnel check missing.json", 2, "missing.json"),
    ("simulate latin.json --model behaviour.json --out x.parquet", 1, "latin.json"),
    ("simulate default_funnel.json --model latin.json --out x.parquet", 1, "latin.json"),
    ("simulate default_funnel.json --model deep.json --out x.parquet", 1, "deep.json"),
    ("simulate default_funnel.json --model behaviour.json --out nofolder/x.parquet", 2, "nofolder"),
    (
        (
            "simulate default_funnel.json --model behaviour.json --out late.parquet --journeys 5 "
            "--start 9999-12-31"
        ),
        1,
        "simulate.start",
    ),
    ("simulate default_funnel.json --model behaviour.json --out x.parquet --start never", 2, "ISO"),
    ("export book.jsonl --to nofolder/x.parquet", 2, "nofolder"),
    ("export hubspot book.jsonl --to nofolder/x.csv", 2, "nofolder"),
    ("export salesforce book.jsonl --to x.csv --history nofolder/h.csv", 2, "nofolder"),
    ("export latin.json --to x.parquet", 1, "latin.json"),
    ("export nul.json --to x.parquet", 1, "nul.json"),
    ("export", 2, "HISTORIES"),
    ("export a b c --to x.parquet", 2, "HISTORIES"),
    ("import hubspot latin.csv --to out.jsonl", 1, "latin.csv, line 2"),
    ("import hubspot foo.csv --to out.jsonl", 1, "Record ID"),
    ("import salesforce foo.csv --to out.jsonl", 1, "foo.csv"),
    ("import odoo twice.csv --to out.jsonl", 1, "twice.csv"),
    ("import hubspot twice.csv --to out.jsonl", 1, "'Email' twice"),
    ("import hubspot quote.csv --to out.jsonl", 1, "quote.csv, line 2"),
    ("import hubspot huge.csv --to out.jsonl", 1, "131,072"),
    ("import hubspot refused.csv --to out.jsonl", 3, "row 3"),
    ("import hubspot latin.csv --to out.jsonl --encoding klingon", 1, "klingon"),
    ("import hubspot latin.csv --to nofolder/out.jsonl", 2, "nofolder"),
    ("import salesforce leads.csv --history foo.csv --to out.jsonl", 1, "foo.csv"),
    ("import salesforce leads.csv --opportunities twice.csv --to out.jsonl", 1, "twice.csv"),
    ("report latin.json --no-progress", 1, "latin.json"),
    ("report deep.json --no-progress", 1, "deep.json"),
    ("report empty.json --no-progress", 1, "no events"),
    ("report events.parquet", 2, "events.parquet"),
    ("report notes.txt --no-progress", 1, "notes.txt"),
    ("report book.jsonl --no-progress --since 2026-12-01 --until 2026-01-01", 2, "--since"),
    ("report book.jsonl --no-progress --path ''", 2, "--path"),
    ("report book.jsonl --no-progress --path suspect", 2, "two or more"),
    ("report book.jsonl --no-progress --path suspect,leed", 2, "did you mean 'lead'"),
    ("report book.jsonl --no-progress --as-of 99999-01-01", 2, "--as-of"),
    ("report book.jsonl --no-progress --by nothing", 2, "--by"),
    ("agenda book.jsonl --at notatime", 2, "--at"),
    ("agenda deep.json --at 2026-01-01", 1, "deep.json"),
    ("agenda latin.json --at 2026-01-01", 1, "latin.json"),
    ("dedupe book.jsonl --threshold nan", 2, "not a number"),
    ("dedupe book.jsonl --threshold 101", 2, "--threshold"),
    ("dedupe latin.csv", 1, "latin.csv"),
    ("dedupe quote.csv", 1, "never closed"),
    ("dedupe deep.json", 1, "deep.json"),
    ("nonsense", 2, "No such command"),
]


@pytest.mark.parametrize(("line", "code", "named"), CASES, ids=[case[0] for case in CASES])
def test_every_command_fails_with_its_code_and_a_message_that_names_the_problem(
    corpus, line, code, named, monkeypatch
):
    monkeypatch.chdir(corpus)
    result = CliRunner().invoke(cli, _split(line), catch_exceptions=False)
    said = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in said
    assert result.exit_code == code, said
    assert named in said, said


def _split(line: str) -> list[str]:
    import shlex  # noqa: PLC0415

    return shlex.split(line)


def test_a_failure_leadlife_did_not_foresee_asks_for_a_report(monkeypatch, capsys):
    def broken(**_):
        raise KeyError("surprise")

    monkeypatch.setattr(cli, "main", broken)
    with pytest.raises(SystemExit) as done:
        commands.run(["report", "x"])
    assert done.value.code == commands.UNEXPECTED
    said = capsys.readouterr().err
    assert "KeyError" in said
    assert "please report it" in said


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    # A reader that stops early, as `leadlife ... | head -1` does.
    script = (
        "import sys; from leadlife._cli.commands import run; "
        f"run(['funnel', 'show', {str(DATA / 'default_funnel.json')!r}])"
    )
    environment = {**os.environ, "COLUMNS": "200"}
    with subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    ) as process:
        assert process.stdout is not None
        process.stdout.readline()
        process.stdout.close()
        _, error = process.communicate(timeout=120)
    assert process.returncode == 0, error
    assert b"Traceback" not in error
