"""The error a model raises when one field of its own spec breaks one of its invariants.

Every spec (a cache, a core, the NoC, the kernel build, a workload, the
tracking store) checks its own values and raises ``SpecError`` naming the
field, the value and what the model accepts. The models know nothing of
configuration files: the config loader catches the error and re-raises it as
a ``ConfigError`` with the full dotted key the user typed. This module sits
below both, so the config reads the models and never the reverse.
"""

from __future__ import annotations

SHOWN_MAX = 80
"""Longest value shown in a one-line error message."""


class SpecError(ValueError):
    """A model-level invariant broken by one field of a spec (caught and re-keyed by the config loader)."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}={show_value(value)} -- allowed: {allowed}")


def show_value(value: object) -> str:
    """A value as a one-line message shows it: quoted when blank or spaced, cut to ``SHOWN_MAX`` characters."""
    text = repr(value) if isinstance(value, str) and (" " in value or not value) else str(value)
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 3] + "..."
