"""Money: a ``Decimal`` amount in one ISO 4217 currency. Never a float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import total_ordering
from typing import Any, Self

import attrs

from leadlife import _validation as check
from leadlife._errors import CurrencyMismatchError, ValidationError
from leadlife._records.currencies import ISO_4217


def _amount(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        check.refuse(instance, attribute, value, "a finite Decimal (never a float)")


def _currency(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or value not in ISO_4217:
        check.refuse(instance, attribute, value, "an ISO 4217 code such as 'EUR' or 'USD'")


@total_ordering
@attrs.frozen(kw_only=True, eq=True, order=False)
class Money:
    """An amount of one currency.

    Amounts are :class:`~decimal.Decimal` and kept exactly as given
    (``Decimal("1.50")`` stays ``1.50``). Adding, subtracting and comparing
    work within one currency; mixing currencies raises
    :class:`CurrencyMismatchError` instead of guessing a rate. Equality across
    currencies is simply ``False``.

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

    def _same(self, other: Money, operation: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatchError(self.currency, other.currency, operation)

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def __neg__(self) -> Money:
        return Money(amount=-self.amount, currency=self.currency)

    def __mul__(self, factor: object) -> Money:
        # A float factor would smuggle binary rounding into money.
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        return Money(amount=self.amount * factor, currency=self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount < other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
