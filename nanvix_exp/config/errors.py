"""The one error a researcher sees for a bad configuration value.

Every bad value is reported on a single line that names the dotted config key
(as typed on the command line), the value found and what would be accepted,
so the fix is obvious without reading a traceback. The models raise
``SpecError`` (``nanvix_exp.errors``) for one field of their spec; the loader
turns it into this error with the full key.
"""

from __future__ import annotations

from nanvix_exp.errors import SpecError, show_value

__all__ = ["ConfigError", "SpecError"]
# SpecError is re-exported only for nanvix_exp/kernel/, which still imports it from here; its home is nanvix_exp.errors.


class ConfigError(ValueError):
    """A configuration value that the simulated system cannot accept."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"invalid config: {self.key}={show_value(self.value)} -- allowed: {self.allowed}"
