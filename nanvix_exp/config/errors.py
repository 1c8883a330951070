"""The one error a researcher sees for a bad configuration value.

Every bad value is reported on a single line that names the dotted config key
(as typed on the command line), the value found and what would be accepted,
so the fix is obvious without reading a traceback.
"""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration value that the simulated system cannot accept."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"invalid config: {self.key}={_show(self.value)} -- allowed: {self.allowed}"


class SpecError(ValueError):
    """A model-level invariant broken by one field of a spec (caught and re-keyed by the loader)."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}={_show(value)} -- allowed: {allowed}")


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) and (" " in value or not value) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."
