"""The package imports cleanly: every module on its own, no import cycles, no room that depends on a later one.

Static checks read every module's imports from its source (those inside
functions too, not those under ``if TYPE_CHECKING:``, which never run) and
build the import graph of ``nanvix_exp``: no two modules may import each other
even indirectly, and neither may two rooms (top-level packages; ``tracking``
counts as its three jobs). The dynamic check imports each module alone, in a
forked process of an interpreter that has not imported ``nanvix_exp``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nanvix_exp

PACKAGE = Path(nanvix_exp.__file__).parent
ENTRY_POINTS = {"nanvix_exp.__main__", "nanvix_exp.analysis.__main__", "nanvix_exp.calibration.__main__"}
"""``python -m`` shells: importing them runs the program, so they are checked statically only."""
KNOWN_ROOM_CYCLES = {("kernel", "config")}
"""TODO(kernel rewrite): nanvix_exp/kernel/ still imports SpecError from nanvix_exp.config.errors; once it
imports nanvix_exp.errors, delete this entry (the test fails until then to keep the list honest)."""


def module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = module_names()


def _runtime_nodes(tree: ast.AST):
    """Every node that runs: skips the bodies of ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def imports_of(module: str) -> set[str]:
    """The ``nanvix_exp`` modules that ``module`` imports when it runs."""
    path = PACKAGE.parent / Path(*module.split("."))
    source = (path / "__init__.py") if path.is_dir() else path.with_suffix(".py")
    package = module if source.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imports_of(module) for module in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan), i.e. the import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def room(module: str) -> str:
    if module in ENTRY_POINTS:
        return "cli"  # the shells belong to the command line, not to the package they sit in
    parts = module.split(".")[1:] or ["__init__"]
    if parts[0] == "tracking" and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def room_graph() -> dict[str, set[str]]:
    rooms: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        rooms.setdefault(room(module), set()).update(room(t) for t in targets if room(t) != room(module))
    return rooms


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_import_cycles():
    assert cycles(GRAPH) == []


def test_no_room_import_cycles_besides_the_known_ones():
    rooms = room_graph()
    for source, target in KNOWN_ROOM_CYCLES:
        assert target in rooms[source], f"{source} -> {target} is gone: remove it from KNOWN_ROOM_CYCLES"
        rooms[source].discard(target)
    assert cycles(rooms) == []


def test_config_depends_on_the_models_and_not_the_reverse():
    rooms = room_graph()
    assert {"hardware", "kernel", "workloads", "tracking.client"} <= rooms["config"]
    models = ("hardware", "models", "workloads", "tracking.client", "tracking.sweeps", "tracking.tools", "errors")
    assert [r for r in models if "config" in rooms.get(r, set())] == []


def test_nothing_but_the_python_m_shells_imports_the_cli():
    importers = {module for module, targets in GRAPH.items() if "nanvix_exp.cli" in targets}
    assert importers <= ENTRY_POINTS


def test_package_inits_import_nothing_of_the_package():
    inits = [m for m in MODULES if (PACKAGE.parent / Path(*m.split(".")) / "__init__.py").exists()]
    assert {m: GRAPH[m] for m in inits if GRAPH[m]} == {}


ISOLATION = r"""
import importlib, os, sys, traceback
import numpy, numba, hydra, omegaconf, yaml  # third-party, shared by the forks; nothing of nanvix_exp
assert not [m for m in sys.modules if m.startswith("nanvix_exp")]
failed = []
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
            from hydra.core.config_store import ConfigStore
            stored = [k for k in ConfigStore.instance().repo if k.endswith("_schema.yaml")]
            assert not stored, f"importing registered config schemas: {stored}"
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(name)
print("FAILED:", " ".join(failed))
"""


def test_every_module_imports_on_its_own_without_side_effects():
    modules = [m for m in MODULES if m not in ENTRY_POINTS]
    done = subprocess.run([sys.executable, "-c", ISOLATION, *modules], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "FAILED:", done.stdout + done.stderr
