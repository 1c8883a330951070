"""Runs the benchmarks, prints one table and writes ``runs/bench/<name>.json`` plus ``summary.json``.

``python -m benchmarks`` runs everything with the default repeats;
``--quick`` runs fewer repeats on smaller inputs (a smoke check, not figures
to quote); ``--only NAME`` (repeatable) picks benchmarks; ``--repeats``
overrides the repeat count. Figures are medians of the repeats; every ratio
compares two things measured alternately in the same invocation.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from benchmarks.measure import ROOT, Figure, Options, Result, machine

BENCHMARKS = ("startup", "cache_engine", "paper", "sweep_overhead", "scaling", "profile")
"""In run order: cheap checks first, the profile last."""


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller inputs (smoke check)")
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run only this benchmark (repeatable)")
    parser.add_argument("--repeats", type=int, help="repeats per figure (default: 3, or 1 with --quick)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "runs" / "bench", help="output folder (default: %(default)s)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    repeats = args.repeats or (1 if args.quick else 3)
    options = Options(repeats=repeats, quick=args.quick, out_dir=args.out)
    args.out.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    failures = 0
    for name in args.only or BENCHMARKS:
        print(f"[bench] {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        try:
            result = importlib.import_module(f"benchmarks.{name}").run(options)
        except Exception as error:  # report it in the table, keep measuring the others
            traceback.print_exc()
            failures += 1
            result = Result(
                name, [Figure("FAILED", None, "", met=False, note=f"{type(error).__name__}: {error}"[:200])]
            )
        result.data["benchmark_s"] = time.perf_counter() - started
        (args.out / f"{name}.json").write_text(json.dumps(_record(result, options), indent=2, default=str))
        results.append(result)
    summary = {"machine": machine(), "options": _options(options), "results": [_record(r, options) for r in results]}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    print(render(results, summary["machine"]))
    print(f"\nJSON and PNGs in {args.out}", file=sys.stderr)
    return 1 if failures else 0


def _options(options: Options) -> dict[str, object]:
    return {"repeats": options.repeats, "quick": options.quick}


def _record(result: Result, options: Options) -> dict[str, object]:
    return {
        "name": result.name,
        "options": _options(options),
        "figures": [asdict(f) for f in result.figures],
        "data": result.data,
    }


def render(results: list[Result], host: dict[str, object]) -> str:
    """The results as a Markdown table (readable in a terminal, pasteable into the README)."""
    lines = [
        f"nanvix-exp benchmarks, {host['date']}: {host['cpus']} CPUs, {host['memory_gib']} GiB, "
        f"Python {host['python']}, load {host['load_average_1m']}",
        "",
        "| benchmark | figure | value | target | met | note |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        for figure in result.figures:
            value = "n/a" if figure.value is None else f"{_number(figure.value)} {figure.unit}".strip()
            met = {True: "yes", False: "**no**", None: ""}[figure.met]
            lines.append(f"| {result.name} | {figure.name} | {value} | {figure.target} | {met} | {figure.note} |")
    return "\n".join(lines)


def _number(value: float) -> str:
    if value == int(value) and abs(value) >= 100:
        return f"{int(value)}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
