"""Dated exchange rates, as data: a table you give, or the European Central Bank's file.

Reports and forecasts in one reporting currency convert each amount at the
rate published on the day it counts for (a deal's win, a forecast's moment),
or the last day before it with a rate, and say which day that was: a rate is
never guessed, and a missing one is an error naming the currency and the day.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

import attrs

from leadlife._core.support import validation as check
from leadlife._core.support.errors import ImportFileError, ValidationError
from leadlife._core.values.money import Money
from leadlife._crm.files import ExportFile, read_table

_CODE = re.compile(r"[A-Z]{3}")
_TWELVE_PLACES = Decimal("1e-12")
# The daily file writes "05 January 2024"; the history file "2024-01-05".
_DAY_FORMATS = ("%Y-%m-%d", "%d %B %Y")


@attrs.frozen(kw_only=True)
class Rate:
    """A rate used: ``value`` units of ``target`` for one of ``source``, as published on ``on``.

    Example:
        >>> from datetime import date
        >>> from decimal import Decimal
        >>> from leadlife.analytics import Rate
        >>> Rate(source="EUR", target="USD", value=Decimal("1.0921"), on=date(2024, 1, 5)).value
        Decimal('1.0921')
    """

    source: str
    target: str
    value: Decimal
    on: date

    def __str__(self) -> str:
        return f"1 {self.source} = {self.value} {self.target} ({self.on})"


@attrs.frozen(kw_only=True)
class Conversion:
    """One amount a report converted: whose, from what, into what, at which rate of which day.

    Example:
        >>> from datetime import date
        >>> from decimal import Decimal
        >>> from leadlife import Money
        >>> from leadlife.analytics import Conversion, Rate
        >>> Conversion(
        ...     journey_id="L-1",
        ...     amount=Money.of("100", "USD"),
        ...     converted=Money.of("92", "EUR"),
        ...     rate=Rate(source="USD", target="EUR", value=Decimal("0.92"), on=date(2024, 1, 5)),
        ... ).rate.on
        datetime.date(2024, 1, 5)
    """

    journey_id: str
    amount: Money
    converted: Money
    rate: Rate


def _code(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        check.refuse(instance, attribute, value, "a three-letter currency code such as 'EUR'")


def _table(value: Any) -> Mapping[date, Mapping[str, Decimal]]:
    problem = _problem(value)
    if problem is not None:
        refused: Mapping[date, Mapping[str, Decimal]] = check.refused(*problem)
        return refused
    return MappingProxyType({day: MappingProxyType(dict(value[day])) for day in sorted(value)})


def _problem(value: Any) -> tuple[Any, str] | None:
    """What is wrong with a rates table, and what was expected; ``None`` if nothing."""
    if not isinstance(value, Mapping):
        return value, "a mapping of dates to {currency: rate} mappings"
    for day, day_rates in value.items():
        if type(day) is not date or not isinstance(day_rates, Mapping):
            return {day: day_rates}, "a date (not a datetime) and a {currency: rate} mapping"
        for code, rate in day_rates.items():
            if not isinstance(code, str) or not _CODE.fullmatch(code):
                return code, "three-letter currency codes such as 'USD'"
            if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
                return {code: rate}, "rates as Decimal above zero (never float)"
    return None


@attrs.frozen(kw_only=True, eq=False)
class ExchangeRates:
    """Rates by day: ``rates[day][code]`` units of each currency for one of ``base``.

    Args:
        base: The currency the rates are quoted against (the ECB's: ``EUR``).
        rates: Each day's rates, ``Decimal`` above zero; a currency missing on
            a day has no rate that day.
        source: Where they come from, said in reports.

    Example:
        >>> from datetime import date
        >>> from decimal import Decimal
        >>> from leadlife import Money
        >>> from leadlife.analytics import ExchangeRates
        >>> rates = ExchangeRates(
        ...     base="EUR",
        ...     rates={date(2024, 1, 5): {"USD": Decimal("1.0921"), "GBP": Decimal("0.86")}},
        ... )
        >>> amount, rate = rates.convert(Money.of("1000", "USD"), "GBP", on=date(2024, 1, 7))
        >>> amount.rounded(), rate.on
        (Money(amount=Decimal('787.47'), currency='GBP'), datetime.date(2024, 1, 5))
    """

    base: str = attrs.field(validator=_code)
    rates: Mapping[date, Mapping[str, Decimal]] = attrs.field(
        converter=_table, validator=check.converted
    )
    source: str | None = attrs.field(default=None, validator=attrs.validators.optional(check.text))
    days: tuple[date, ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "days", tuple(sorted(self.rates)))

    def rate(self, source: str, target: str, *, on: date) -> Rate:
        """The rate from ``source`` to ``target`` published on ``on``, or the last day before.

        Raises:
            ValidationError: No day on or before ``on`` has a rate for both.
        """
        if isinstance(on, datetime) or not isinstance(on, date):
            raise ValidationError(
                owner="ExchangeRates.rate", field="on", value=on, expected="a date"
            )
        if source == target:
            return Rate(source=source, target=target, value=Decimal(1), on=on)
        for index in range(bisect_right(self.days, on) - 1, -1, -1):
            day = self.days[index]
            day_rates = self.rates[day]
            per_source = Decimal(1) if source == self.base else day_rates.get(source)
            per_target = Decimal(1) if target == self.base else day_rates.get(target)
            if per_source is not None and per_target is not None:
                return Rate(source=source, target=target, value=per_target / per_source, on=day)
        first = f"; the first is of {self.days[0]}" if self.days else "; there are none"
        raise ValidationError(
            owner="ExchangeRates.rate",
            field=f"{source}->{target}",
            value=on,
            expected=f"a day with rates for both on or before {on}{first}",
        )

    def convert(self, money: Money, target: str, *, on: date) -> tuple[Money, Rate]:
        """``money`` in ``target`` at the rate of ``on`` (or the last day before), and that rate.

        The amount keeps twelve decimal places (as many as :class:`~leadlife.Money`
        holds, half to even): round it with :meth:`~leadlife.Money.rounded` when shown.
        """
        rate = self.rate(money.currency, target, on=on)
        amount = (money.amount * rate.value).quantize(_TWELVE_PLACES, rounding=ROUND_HALF_EVEN)
        return Money(amount=amount, currency=target), rate

    @classmethod
    def from_table(
        cls, rows: Iterable[Mapping[str, Any]], *, base: str, source: str | None = None
    ) -> ExchangeRates:
        """Rates from rows of ``day``, ``currency`` and ``rate`` (dates, codes, decimals or text).

        Raises:
            ValidationError: A row lacks one of the three, a value cannot be
                read, or a currency has two rates on one day.
        """
        table: dict[date, dict[str, Decimal]] = {}
        for number, row in enumerate(rows):
            where = f"rows[{number}]"
            try:
                day, code, value = row["day"], row["currency"], row["rate"]
            except (KeyError, TypeError):
                raise ValidationError(
                    owner="ExchangeRates.from_table",
                    field=where,
                    value=row,
                    expected="a mapping with 'day', 'currency' and 'rate'",
                ) from None
            if isinstance(day, str):
                day = _day(day)
            if isinstance(value, str | int):
                value = _decimal(str(value))
            if type(day) is not date or not isinstance(value, Decimal):
                raise ValidationError(
                    owner="ExchangeRates.from_table",
                    field=where,
                    value=row,
                    expected="an ISO date and a decimal rate ('1.0921'), never a float",
                )
            if code in table.setdefault(day, {}):
                raise ValidationError(
                    owner="ExchangeRates.from_table",
                    field=where,
                    value=row,
                    expected=f"one rate for {code} on {day}",
                )
            table[day][code] = value
        return cls(base=base, rates=table, source=source)

    @classmethod
    def read_ecb(cls, source: ExportFile) -> ExchangeRates:
        """The European Central Bank's reference rates, from its CSV file (daily or history).

        ``eurofxref-hist.csv`` (``Date,USD,JPY,...`` with ISO days) and
        ``eurofxref.csv`` (one day, ``05 January 2024``) both read; ``N/A``
        is no rate that day. Base: ``EUR``.

        Raises:
            ImportFileError: The file is not the ECB's: no ``Date`` column, a
                day or a rate that cannot be read (naming the line), a day
                twice, a row that does not fit the header.
        """
        table = read_table(source, columns=("Date",), required=("Date",), file="ECB rates").whole()
        name = table.name
        rates: dict[date, dict[str, Decimal]] = {}
        for line, cells in table.rows:
            day = _day(cells["Date"].strip())
            if day is None:
                raise ImportFileError(
                    file=name, line=line, problem=f"the day {cells['Date']!r} is not a date"
                )
            if day in rates:
                raise ImportFileError(file=name, line=line, problem=f"{day} comes twice")
            found: dict[str, Decimal] = {}
            for column, text in cells.items():
                code, value = column.strip(), text.strip()
                if code == "Date" or not code or value in ("", "N/A"):
                    continue
                rate = _decimal(value)
                if rate is None or rate <= 0 or not _CODE.fullmatch(code):
                    raise ImportFileError(
                        file=name,
                        line=line,
                        problem=f"{code} {value!r} is not a currency's rate above zero",
                    )
                found[code] = rate
            rates[day] = found
        return cls(base="EUR", rates=rates, source="ECB reference rates")


def _day(text: str) -> date | None:
    for pattern in _DAY_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a day, not a time
        except ValueError:
            continue
    return None


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


A_RATES = check.instance_of(ExchangeRates, "ExchangeRates or None")
"""How a report checks the ``rates`` it is given."""
