"""A declarative row the funnel moves: its stage, and the version SQLAlchemy checks on save."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class FunnelRow:
    """A mixin for your declarative class: the row's ``stage``, and its ``row_version``.

    ``row_version`` is SQLAlchemy's ``version_id_col``: every save of the row
    checks that nobody saved it since it was read, and counts one up. Two
    requests that read the same lead cannot both move it: the second's save
    matches no row, and :class:`~leadlife.sqlalchemy.Moves` refuses its move
    (:class:`~leadlife.errors.StaleRowError`), its event with it. A class
    that declares ``__mapper_args__`` of its own keeps the check by naming the
    column there too (``"version_id_col": row_version``).

    Example:
        >>> from sqlalchemy import String
        >>> from sqlalchemy.orm import DeclarativeBase, mapped_column
        >>> from leadlife.sqlalchemy import FunnelRow
        >>> class Base(DeclarativeBase):
        ...     pass
        >>> class Lead(FunnelRow, Base):
        ...     __tablename__ = "leads"
        ...     id = mapped_column(String, primary_key=True)
        >>> sorted(column.name for column in Lead.__table__.columns)
        ['id', 'row_version', 'stage']
    """

    stage: Mapped[str] = mapped_column(String(64), nullable=False)
    """The funnel stage the row is in (a stage of the funnel that moves it)."""
    row_version: Mapped[int] = mapped_column(Integer, nullable=False)
    """How many times the row was saved: SQLAlchemy's optimistic lock."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's directive
        return {"version_id_col": cls.__table__.c.row_version}  # type: ignore[attr-defined]
