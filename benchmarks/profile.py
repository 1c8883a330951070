"""Where the time of ``experiment=paper`` goes: a pyinstrument profile of one cold run.

Writes ``profile.txt`` (call tree) and ``profile.html`` (interactive) next to
the other results; the table reports the profiled wall time and the share of
the largest top-level costs.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.measure import Options, Result, checked, cli_env, python, run_child
from benchmarks.paper import COMMAND

NAME = "profile"


def run(options: Options) -> Result:
    result = Result(NAME)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    session = options.out_dir / "profile.pyisession"
    with tempfile.TemporaryDirectory(prefix="nanvix-bench-profile-") as scratch:
        runs_dir = Path(scratch) / "runs"
        argv = python("-m", "pyinstrument", "-r", "pyisession", "-o", str(session), *COMMAND)
        checked(run_child(argv, env=cli_env(runs_dir), cwd=Path(scratch)), "pyinstrument experiment=paper")
    tree_file = options.out_dir / ".profile-tree.json"
    for renderer, path in (
        ("text", session.with_suffix(".txt")),
        ("html", session.with_suffix(".html")),
        ("json", tree_file),
    ):
        argv = python("-m", "pyinstrument", "--load", str(session), "-r", renderer, "-o", str(path))
        if renderer == "text":
            argv[-2:-2] = ["--no-color", "--unicode"]
        checked(run_child(argv), f"pyinstrument render {renderer}")
    tree = json.loads(tree_file.read_text())
    total = float(tree["duration"])
    shares = _self_time_by_package(tree["root_frame"])
    result.add("profiled paper run", total, "s", note=f"see {session.with_suffix('.txt')}")
    for package, seconds in sorted(shares.items(), key=lambda item: -item[1])[:6]:
        result.add(f"time in {package}", 100 * seconds / total, "%", note=f"{seconds:.2f} s")
    result.data = {"duration_s": total, "seconds_by_package": shares}
    tree_file.unlink()
    return result


def _self_time_by_package(frame: dict) -> dict[str, float]:
    """Seconds spent in each package: a frame's own time goes to its package, else its caller's (stdlib frames)."""
    totals: dict[str, float] = {}
    stack = [(frame, "python")]
    while stack:
        node, inherited = stack.pop()
        children = node.get("children", [])
        own = float(node["time"]) - sum(float(child["time"]) for child in children)
        package = _package_of(node.get("file_path") or "") or inherited
        totals[package] = totals.get(package, 0.0) + max(own, 0.0)
        stack.extend((child, package) for child in children)
    return totals


def _package_of(path: str) -> str | None:
    parts = Path(path).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].split(".")[0]
    for name in ("nanvix_exp", "benchmarks"):
        if name in parts:
            return name
    return None
