"""Strict value types shared by every model of the scenario language.

Pydantic's default ("lax") mode converts what it can: ``true`` becomes ``1.0`` for a number,
``1`` becomes ``True`` for a flag, a Unix timestamp such as ``1717977600`` becomes a date, and
``"3"`` becomes ``3``. In a scenario file each of those is far more likely a mistake than an
intent, so the scenario language takes every value as the type it is documented to be:

* :data:`Float` — a number: an integer or a decimal, never ``true``/``false``, text, ``.nan`` or
  ``.inf``;
* :data:`Int` — a whole number, never a boolean, a decimal or text;
* :data:`Bool` — ``true`` or ``false`` only (not ``1``, ``yes`` or ``"true"``);
* :data:`Date` — a calendar date, written ``YYYY-MM-DD`` (a YAML date, or the same text quoted);
  never a number (timestamp) or a date with a time.

:class:`StrictModel` is the base of models whose fields are all numbers or flags (the parameter
groups): it applies the same rules to every field through pydantic's ``strict`` mode, so a new
field needs no special annotation. Models with lists use the annotated types instead, because
strict mode would also refuse a YAML list where a tuple is declared.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    StrictBool,
    StrictInt,
)

__all__ = ["Bool", "Date", "Float", "Int", "StrictModel", "as_date"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_date(value: Any) -> dt.date:
    """Accept a ``datetime.date`` or an ISO ``YYYY-MM-DD`` string; refuse anything else.

    Raises:
        ValueError: For numbers (timestamps), booleans, dates with a time, malformed or
            impossible dates; the message says what was given.
    """
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date as YYYY-MM-DD without a time (got {value.isoformat(sep=' ')})")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not _ISO_DATE.match(value):
            raise ValueError(f"expected a date as YYYY-MM-DD (got {value[:40]!r})")
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a valid date: {exc}") from None
    if isinstance(value, bool):
        raise ValueError(f"expected a date as YYYY-MM-DD (got {str(value).lower()})")
    if isinstance(value, int | float):
        raise ValueError(f"expected a date as YYYY-MM-DD, not a number (got {value!r}; "
                         "timestamps are not accepted)")
    raise ValueError(f"expected a date as YYYY-MM-DD (got {type(value).__name__})")


#: A number (integers are accepted and become floats); not a boolean, text, NaN or infinity.
Float = Annotated[float, Strict(), AllowInfNan(False)]
#: A whole number; not a boolean, a decimal or text.
Int = StrictInt
#: ``true`` or ``false``.
Bool = StrictBool
#: A calendar date (``YYYY-MM-DD``); not a timestamp, not a date with a time.
Date = Annotated[dt.date, BeforeValidator(as_date)]


class StrictModel(BaseModel):
    """A frozen, closed model whose every field is validated strictly (see the module doc)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)
