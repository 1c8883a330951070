"""How failures reach the researcher: one line naming the cause, no traceback.

A bad config value, a mistyped key or group option, a broken YAML file or an
unreachable tracking store is the user's to fix: it is printed as one line
``invalid config: <dotted key>=<value> -- allowed: <what would work>`` (or
the store's message) and the program exits with status 2, before anything is
simulated or recorded. ``HYDRA_FULL_ERROR=1`` shows the full traceback
instead. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from nanvix_exp.config.errors import ConfigError
from nanvix_exp.tracking.client.store import TrackingUnavailable

EXIT_USER_ERROR = 2
NOISE = re.compile(r"^\s*(full_key|reference_type|object_type|Config search path|provider=)")


class UserError(SystemExit):
    """A failure the user can fix from its one-line message; exits with status 2.

    It derives from SystemExit so Hydra passes it through untouched (no
    "Error executing job" banner) and no run record is created or left open.
    """

    def __init__(self, message: str) -> None:
        super().__init__(EXIT_USER_ERROR)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[UserError], tuple[str]]:
        # pickled back from a joblib worker to the launcher with its message, not its exit code
        return (UserError, (self.message,))


@contextlib.contextmanager
def reported() -> Iterator[None]:
    """Turn config, composition and tracking-store errors raised inside into ``UserError``."""
    try:
        yield
    except (ConfigError, TrackingUnavailable) as error:
        raise UserError(str(error)) from error
    except Exception as error:
        message = composition_error(error)
        if message is None:
            raise
        raise UserError(message) from error


def composition_error(error: BaseException) -> str | None:
    """One line for an error Hydra or OmegaConf raised while composing the config, else None."""
    from hydra.errors import HydraException, OverrideParseException
    from omegaconf.errors import OmegaConfBaseException
    from yaml import YAMLError

    if not isinstance(error, HydraException | OmegaConfBaseException | YAMLError):
        return None
    if isinstance(error, OverrideParseException):
        key, _, value = error.override.partition("=")
        reason = next((line.strip() for line in error.message.splitlines()[1:] if "hydra.cc" not in line), "")
        reason = reason or error.message.splitlines()[0]
        allowed = f"Hydra override syntax, key=value; quote values with brackets or spaces ({reason})"
        return str(ConfigError(key.strip(), value, allowed))
    text = str(error)
    missing = re.search(r"Could not find '([^']+)/([^'/]+)'", text)
    if missing:
        group, option = missing.groups()
        listed = text.split("Available options in", 1)[-1].split("Config search path", 1)[0]
        options = [line.strip() for line in listed.splitlines()[1:] if line.strip()]
        allowed = "one of " + ", ".join(options) if options else f"an option file in conf/{group}/ or --config-dir"
        return str(ConfigError(group, option, allowed))
    lines = [line.strip() for line in _chain(error).splitlines() if line.strip() and not NOISE.match(line)]
    override = re.search(r"(?:override|Could not override) '?([\w.\[\]/@+~-]+?)'?(?:=(.*))?\.?$", lines[0])
    if override:
        key, value = override.group(1), override.group(2)
        hint = next((line for line in lines if line.startswith("To append")), "")
        value = value if value is not None else hint.partition("=")[2]
        reasons = [line for line in lines[1:] if line is not hint]
        allowed = "; ".join(reasons) or "a valid override"
        return str(ConfigError(key, value, allowed + (f" ({hint})" if hint else "")))
    return "invalid config: " + "; ".join(lines)


def _chain(error: BaseException) -> str:
    parts = [str(error)]
    cause = error.__cause__
    while cause is not None and str(cause) not in parts[-1]:
        parts.append(str(cause))
        cause = cause.__cause__
    return "\n".join(parts)
