"""Money: a ``Decimal`` amount in one ISO 4217 currency. Never a float.

Amounts are bounded (see :data:`MAX_INTEGER_DIGITS` and
:data:`MAX_DECIMAL_PLACES`), and arithmetic runs in a decimal context wide
enough for any two bounded amounts: a result is exact, or the operation is
refused. Python's default context (28 digits) would round
``10**30 + 0.01`` silently.
"""

from __future__ import annotations

from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from functools import total_ordering
from typing import Any, Self

import attrs

from leadlife._core.support import validation as check
from leadlife._core.support.errors import CurrencyMismatchError, ValidationError
from leadlife._core.values.currencies import ISO_4217, MINOR_UNITS

MAX_INTEGER_DIGITS = 18
"""An amount is below 10**18 in size: more than any deal, in any currency."""

MAX_DECIMAL_PLACES = 12
"""An amount has at most 12 digits after the decimal point (``"1.50"`` has 2)."""

# Wide enough for the exact sum of two bounded amounts; Inexact is trapped, so
# a product that would need rounding (an unbounded Decimal factor) raises.
_EXACT = Context(
    prec=MAX_INTEGER_DIGITS + 2 * MAX_DECIMAL_PLACES + 2,
    traps=[Inexact, Overflow, InvalidOperation, DivisionByZero],
)
_BOUND = Decimal(10) ** MAX_INTEGER_DIGITS
# Wide enough for a bounded amount times any fraction a float's shortest repr
# gives (17 digits), so a share is rounded once, from the exact product.
_WIDE = Context(prec=80, traps=[Inexact, Overflow, InvalidOperation])


def _amount(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        check.refuse(instance, attribute, value, "a finite Decimal (never a float)")
    if abs(value) >= _BOUND or -int(value.as_tuple().exponent) > MAX_DECIMAL_PLACES:
        check.refuse(
            instance,
            attribute,
            value,
            f"an amount below 10**{MAX_INTEGER_DIGITS} with at most "
            f"{MAX_DECIMAL_PLACES} decimal places",
        )


def _currency(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, str) and value.upper() in ISO_4217 and value not in ISO_4217:
        check.refuse(
            instance, attribute, value, f"an ISO 4217 code in capitals: use {value.upper()!r}"
        )
    if not isinstance(value, str) or value not in ISO_4217:
        check.refuse(instance, attribute, value, "an ISO 4217 code such as 'EUR' or 'USD'")


@total_ordering
@attrs.frozen(kw_only=True, eq=True, order=False)
class Money:
    """An amount of one currency.

    Amounts are :class:`~decimal.Decimal` and kept exactly as given
    (``Decimal("1.50")`` stays ``1.50``), below 10**18 and with at most 12
    decimal places. Adding, subtracting, multiplying by an ``int`` or a
    ``Decimal`` and comparing work within one currency, exactly: a result
    that would need rounding, or would leave the bounds, is refused with a
    :class:`~leadlife.errors.ValidationError`. Mixing currencies raises
    :class:`~leadlife.errors.CurrencyMismatchError` instead of guessing a rate; equality across
    currencies is simply ``False``.

    ``str()`` shows the amount rounded to the currency's minor units
    (``JPY`` 0 digits, ``EUR`` 2, ``BHD`` 3), as an invoice would;
    :meth:`rounded` gives that amount as money.

    Example:
        >>> from decimal import Decimal
        >>> from leadlife import Money
        >>> deal = Money(amount=Decimal("12000.00"), currency="EUR")
        >>> deal + Money.of("500", "EUR")
        Money(amount=Decimal('12500.00'), currency='EUR')
        >>> deal > Money.of("9999.99", "EUR")
        True
        >>> deal * 2
        Money(amount=Decimal('24000.00'), currency='EUR')
        >>> str(Money.of("1234.5", "JPY")), str(Money.of("0.1255", "BHD"))
        ('1234 JPY', '0.126 BHD')
    """

    amount: Decimal = attrs.field(validator=_amount)
    currency: str = attrs.field(validator=_currency)

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Self:
        """Build from a decimal string, an int or a Decimal (never a float).

        Raises:
            ValidationError: The amount is a float, not a number, or the
                currency is not an ISO 4217 code.
        """
        if isinstance(amount, bool) or not isinstance(amount, str | int | Decimal):
            raise ValidationError(
                owner=cls.__name__,
                field="amount",
                value=amount,
                expected="a decimal string, an int or a Decimal (never a float)",
            )
        try:
            exact = Decimal(amount)
        except InvalidOperation:
            raise ValidationError(
                owner=cls.__name__, field="amount", value=amount, expected="a decimal number"
            ) from None
        return cls(amount=exact, currency=currency)

    @classmethod
    def zero(cls, currency: str) -> Self:
        """Return zero in ``currency``: the start of a sum."""
        return cls(amount=Decimal(0), currency=currency)

    @property
    def minor_units(self) -> int | None:
        """Digits after the decimal point in the currency (``None`` for funds and metals)."""
        return MINOR_UNITS[self.currency]

    def rounded(self) -> Money:
        """The amount rounded to the currency's minor units, half to even.

        Example:
            >>> from leadlife import Money
            >>> Money.of("8400.125", "EUR").rounded()
            Money(amount=Decimal('8400.12'), currency='EUR')
        """
        if self.minor_units is None:
            return self
        quantum = Decimal(1).scaleb(-self.minor_units)
        return Money(
            amount=self.amount.quantize(quantum, rounding=ROUND_HALF_EVEN), currency=self.currency
        )

    def share(self, fraction: Decimal) -> Money:
        """This amount times ``fraction``, rounded to the currency's minor units.

        What a weighted pipeline or a split shows: ``share`` rounds once, at
        the end, where ``*`` would refuse a product that needs rounding.

        Example:
            >>> from decimal import Decimal
            >>> from leadlife import Money
            >>> Money.of("24000.00", "GBP").share(Decimal("0.35"))
            Money(amount=Decimal('8400.00'), currency='GBP')
        """
        given: object = fraction
        if not isinstance(given, Decimal) or not given.is_finite():
            raise ValidationError(
                owner="Money", field="fraction", value=fraction, expected="a finite Decimal"
            )
        places = MAX_DECIMAL_PLACES if self.minor_units is None else self.minor_units
        exact = _WIDE.multiply(self.amount, fraction)
        rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        return Money(amount=rounded, currency=self.currency)

    def _same(self, other: Money, operation: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatchError(self.currency, other.currency, operation)

    def _exactly(self, operation: str, compute: Any, *operands: Any) -> Money:
        try:
            amount = compute(*operands)
        except (Inexact, Overflow, InvalidOperation):
            raise ValidationError(
                owner="Money",
                field=operation,
                value=operands,
                expected="an exact result (it would need rounding)",
            ) from None
        return Money(amount=amount, currency=self.currency)

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return self._exactly("add", _EXACT.add, self.amount, other.amount)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return self._exactly("subtract", _EXACT.subtract, self.amount, other.amount)

    def __neg__(self) -> Money:
        return Money(amount=-self.amount, currency=self.currency)

    def __mul__(self, factor: object) -> Money:
        # A float factor would smuggle binary rounding into money.
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        return self._exactly("multiply", _EXACT.multiply, self.amount, Decimal(factor))

    __rmul__ = __mul__

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount < other.amount

    def __str__(self) -> str:
        return f"{self.rounded().amount} {self.currency}"
