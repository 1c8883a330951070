"""Resolves a ``_target_`` key to a class of this package, and nothing else.

Configs may come from a user's ``--config-dir``; only dotted paths inside
``nanvix_exp`` are imported, so a config file cannot make the program import
or call arbitrary code; private names (``_x``, ``__main__``) are refused
too, so naming a target never runs an entry point.
"""

from __future__ import annotations

import importlib

from nanvix_exp.config.errors import ConfigError

ALLOWED_PREFIX = "nanvix_exp."


def resolve_target(target: object, key: str, base: type) -> type:
    """The subclass of ``base`` named by ``target`` (``nanvix_exp.<module>.<Class>``)."""
    text = str(target)
    allowed = f"a {base.__name__} class inside nanvix_exp, e.g. 'nanvix_exp.workloads.fork_join.ForkJoin'"
    if not text.startswith(ALLOWED_PREFIX) or "." not in text[len(ALLOWED_PREFIX) :]:
        raise ConfigError(key, target, allowed)
    if any(not part.isidentifier() or part.startswith("_") for part in text.split(".")):
        raise ConfigError(key, target, allowed)  # private names and entry points (__main__ runs the CLI)
    module_name, _, attribute = text.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        raise ConfigError(key, target, allowed) from None
    if not (isinstance(found, type) and issubclass(found, base)):
        raise ConfigError(key, target, allowed)
    return found
