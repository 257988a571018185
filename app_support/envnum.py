"""Numbers read from environment variables, the app's server settings (no Streamlit here).

:func:`env_number` is the one reading of every numeric setting (``FLASHPOINT_APP_CACHE_MB``,
``FLASHPOINT_APP_MAX_MINUTES``): unset or blank gives the default; a value that is not a finite
number is refused with a warning that names the variable, the value and the default used, and the
default is used; a value below the setting's minimum is raised to it. A typo in a server's
configuration thus neither crashes every page nor passes silently.
"""

from __future__ import annotations

import logging
import math
import os

__all__ = ["env_number"]

log = logging.getLogger("flashpoint.app")


def env_number(name: str, default: float, *, minimum: float | None = None) -> float:
    """The number in environment variable ``name``, or ``default``.

    Args:
        name: The environment variable (``FLASHPOINT_APP_CACHE_MB``).
        default: Used when the variable is unset or blank, or its value is not a finite number
            (``abc``, ``nan``, ``inf``; then a warning on the ``flashpoint.app`` logger says so).
        minimum: A smaller value is raised to this one (``None``: no lower bound).

    Returns:
        The value as a float.
    """
    raw = os.environ.get(name, "").strip()
    value = float(default)
    if raw:
        try:
            parsed = float(raw)
        except ValueError:
            parsed = math.nan
        if math.isfinite(parsed):
            value = parsed
        else:
            log.warning("%s=%r is not a finite number: using the default, %g", name, raw, default)
    return value if minimum is None else max(value, minimum)
