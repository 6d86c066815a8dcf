"""A CRM's accounts export read into an index: every row an account, or the file refused by line."""

from __future__ import annotations

import io

import pytest

from leadlife import Company, Contact
from leadlife.crm import read_accounts
from leadlife.errors import ImportFileError

EXPORT = (
    "Id,Name,Website,Other Website\r\n"
    "001A,U.S. Bank,https://www.usbank.com/about,\r\n"
    "002B,Acme GmbH,acme.de,https://acme.com\r\n"
    "003C,Initech,,\r\n"
)


def test_an_export_reads_into_accounts_with_their_websites_domains():
    index = read_accounts(io.StringIO(EXPORT), websites=("Website", "Other Website"))
    assert len(index) == 3
    assert index["001A"].domains == {"usbank.com"}
    assert index["002B"].domains == {"acme.de", "acme.com"}
    assert index["003C"].domains == frozenset()
    found = index.match_facts(contact=Contact(name="Bo", email="bo@acme.com"), company=None)
    assert found.account.key == "002B"
    assert index.match_facts(contact=None, company=Company(name="INITECH")).account.key == "003C"


def test_columns_are_arguments(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("Record ID,Company name,Company Domain Name\n7,Acme,acme.com\n")
    index = read_accounts(
        path, key="Record ID", name="Company name", websites=["Company Domain Name"]
    )
    assert index["7"].domains == {"acme.com"}


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("Id,Name\n001A,Acme\n", 1, "'Website'"),
        ("Id,Name,Website\n,Acme,acme.com\n", 2, "its 'Id' and its 'Name'"),
        ("Id,Name,Website\n001A,,acme.com\n", 2, "its 'Id' and its 'Name'"),
        ("Id,Name,Website\n001A,A,a.com\n001A,B,b.com\n", 3, "on line 2 too"),
        ("Id,Name,Website\n001A,Acme,n/a\n", 2, "domains"),
        ("Id,Name,Website\n001A,Acme,acme.com,extra\n", 2, "cells"),
    ],
)
def test_a_row_that_cannot_be_an_account_stops_the_file_with_its_line(text, line, expected):
    with pytest.raises(ImportFileError, match=expected) as raised:
        read_accounts(io.StringIO(text))
    assert raised.value.line == line
