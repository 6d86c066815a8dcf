from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife import LeadlifeError, Money
from leadlife.errors import CurrencyMismatchError, ValidationError


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def test_amount_is_kept_exactly_as_given():
    assert str(eur("1.50").amount) == "1.50"


def test_of_accepts_int_and_decimal():
    assert Money.of(3, "USD") == Money(amount=Decimal(3), currency="USD")
    assert Money.of(Decimal("2.5"), "USD").amount == Decimal("2.5")


@pytest.mark.parametrize("amount", [1.5, True, None, [1]])
def test_of_refuses_floats_and_non_numbers(amount):
    with pytest.raises(ValidationError) as caught:
        Money.of(amount, "EUR")
    assert caught.value.field == "amount"


def test_of_refuses_text_that_is_not_a_number():
    with pytest.raises(ValidationError, match="decimal number"):
        Money.of("twelve", "EUR")


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), 3, 1.0])
def test_constructor_wants_a_finite_decimal(amount):
    with pytest.raises(ValidationError, match="finite Decimal"):
        Money(amount=amount, currency="EUR")


@pytest.mark.parametrize("currency", ["EURO", "eur", "ABC", "", 978])
def test_currency_must_be_an_iso_4217_code(currency):
    with pytest.raises(ValidationError) as caught:
        Money(amount=Decimal(1), currency=currency)
    assert caught.value.field == "currency"
    assert caught.value.owner == "Money"


def test_arithmetic_within_one_currency():
    assert eur("1.10") + eur("2.20") == eur("3.30")
    assert eur("5") - eur("7") == eur("-2")
    assert -eur("4") == eur("-4")
    assert eur("2.5") * 2 == eur("5.0")
    assert 3 * eur("2") == eur("6")
    assert eur("10") * Decimal("0.5") == eur("5.0")


def test_zero_is_the_start_of_a_sum():
    assert sum([eur("1"), eur("2")], Money.zero("EUR")) == eur("3")


def test_multiplying_by_a_float_is_refused():
    with pytest.raises(TypeError):
        eur("1") * 0.5  # type: ignore[operator]


def test_adding_something_else_is_refused():
    with pytest.raises(TypeError):
        eur("1") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        eur("1") - 1  # type: ignore[operator]


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a >= b,
    ],
)
def test_mixing_currencies_is_refused(operation):
    with pytest.raises(CurrencyMismatchError) as caught:
        operation(eur("1"), Money.of("1", "USD"))
    assert (caught.value.left, caught.value.right) == ("EUR", "USD")
    assert isinstance(caught.value, LeadlifeError)


def test_amounts_in_different_currencies_are_simply_not_equal():
    assert eur("1") != Money.of("1", "USD")


def test_comparison_within_one_currency():
    assert eur("1") < eur("2") <= eur("2") < eur("2.01")
    assert eur("1.0") == eur("1.00")


def test_comparing_with_something_else_is_refused():
    with pytest.raises(TypeError):
        _ = eur("1") < 1  # type: ignore[operator]


def test_str_reads_like_money():
    assert str(eur("12.50")) == "12.50 EUR"


def test_arithmetic_is_exact_beyond_the_default_context():
    big = Money.of("1" + "0" * 17, "EUR")
    assert (big + eur("0.01")).amount == Decimal("100000000000000000.01")
    assert (big - eur("0.000000000001")).amount == Decimal("99999999999999999.999999999999")


@pytest.mark.parametrize(
    "amount", ["1" + "0" * 30, "1E+999999", "-1" + "0" * 18, "0.0000000000001", "1.0000000000000"]
)
def test_amounts_are_bounded(amount):
    with pytest.raises(ValidationError, match=r"below 10\*\*18 with at most 12 decimal places"):
        Money.of(amount, "EUR")


def test_a_result_that_would_need_rounding_or_leave_the_bounds_is_refused():
    with pytest.raises(ValidationError, match=r"below 10\*\*18"):
        Money.of("999999999999999999", "EUR") + eur("1")
    with pytest.raises(ValidationError, match="12 decimal places"):
        eur("0.000001") * Decimal("0.0000001")
    with pytest.raises(ValidationError, match="exact result"):
        eur("1") * Decimal("1." + "1" * 60)


def test_a_lowercase_currency_is_told_its_spelling():
    with pytest.raises(ValidationError, match="use 'EUR'"):
        Money.of("1", "eur")


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("1234.5", "JPY", "1234 JPY"),
        ("1235.5", "JPY", "1236 JPY"),
        ("12.345", "EUR", "12.34 EUR"),
        ("12.3", "EUR", "12.30 EUR"),
        ("0.1255", "BHD", "0.126 BHD"),
        ("1.23456", "CLF", "1.2346 CLF"),
        ("1.23456", "XAU", "1.23456 XAU"),
    ],
)
def test_shown_in_the_currencys_minor_units_half_to_even(amount, currency, shown):
    money = Money.of(amount, currency)
    assert str(money) == shown
    assert str(money.rounded().amount) == shown.split()[0]
    assert money.amount == Decimal(amount)  # kept as given


def test_a_share_rounds_once_at_the_end():
    assert eur("24000.00").share(Decimal("0.35")) == eur("8400.00")
    assert str(Money.of("1000", "JPY").share(Decimal("0.3333")).amount) == "333"
    assert eur("0.000000000001").share(Decimal("0.123456789")).amount == Decimal("0.00")
    with pytest.raises(ValidationError, match="finite Decimal"):
        eur("1").share(0.5)  # type: ignore[arg-type]


@given(
    st.decimals(min_value=-(10**17), max_value=10**17, places=12, allow_nan=False),
    st.decimals(min_value=-(10**17), max_value=10**17, places=12, allow_nan=False),
)
def test_sums_and_differences_are_exact(a, b):
    left, right = Money(amount=a, currency="EUR"), Money(amount=b, currency="EUR")
    assert Fraction((left + right).amount) == Fraction(a) + Fraction(b)
    assert (left + right) - right == left
