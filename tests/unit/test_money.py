from decimal import Decimal

import pytest

from leadlife import CurrencyMismatchError, LeadlifeError, Money, ValidationError


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
