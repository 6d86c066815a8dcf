import pytest

from leadlife import LeadId, OpportunityId, ProspectId, RecordKind
from leadlife.errors import ValidationError


def test_ids_of_different_kinds_never_compare_equal():
    assert LeadId("X-1") != ProspectId("X-1")
    assert LeadId("X-1") == LeadId("X-1")


def test_id_keeps_its_text_and_prints_as_it():
    assert str(OpportunityId(" O-1")) == " O-1"


@pytest.mark.parametrize("value", ["", "  ", None, 17])
def test_blank_or_non_text_ids_are_refused(value):
    with pytest.raises(ValidationError, match=r"LeadId\.value"):
        LeadId(value)


def test_new_ids_are_distinct_and_of_the_right_kind():
    first, second = ProspectId.new(), ProspectId.new()
    assert first != second
    assert first.kind is RecordKind.PROSPECT


def test_kinds_are_ordered_by_depth():
    assert [kind.depth for kind in RecordKind] == [0, 1, 2]


def test_ids_sort_by_text():
    assert sorted([LeadId("b"), LeadId("a")]) == [LeadId("a"), LeadId("b")]
