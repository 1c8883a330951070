"""A config file is data, not code: what a shared or downloaded config folder cannot make nanvix-exp do.

``_target_`` only names classes inside ``nanvix_exp``; YAML is read with a
safe loader (no Python tags); the MLflow UI and server listen on 127.0.0.1;
and the package never unpickles or evaluates anything it reads.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from omegaconf._utils import get_yaml_loader

from nanvix_exp.config.errors import ConfigError
from nanvix_exp.config.instantiate import resolve_target
from nanvix_exp.config.load import load_settings
from nanvix_exp.workloads.base import Workload
from nanvix_exp.workloads.fork_join import ForkJoin
from tests.conftest import FAST, ROOT, compose_config, run_cli

PACKAGE = ROOT / "nanvix_exp"


@pytest.mark.parametrize(
    "target",
    [
        "os.system",
        "builtins.eval",
        "subprocess.Popen",
        "nanvix_expx.evil.Thing",  # a look-alike package name
        "nanvix_exp",
        "nanvix_exp.ForkJoin",
        "nanvix_exp.run.job.run_job",  # a function, not a Workload class
        "nanvix_exp.hardware.cache.Cache",  # a class of the package, but not a Workload
        "nanvix_exp.workloads.nope.Thing",
        "nanvix_exp.__main__.main",  # importing it would run the CLI
        "nanvix_exp.workloads.fork_join.ForkJoin.__class__",
        "nanvix_exp.workloads..fork_join.ForkJoin",
        "",
    ],
)
def test_targets_outside_the_package_workloads_are_refused(target):
    with pytest.raises(ConfigError) as raised:
        resolve_target(target, "workload._target_", Workload)
    assert raised.value.key == "workload._target_" and "inside nanvix_exp" in raised.value.allowed


def test_the_shipped_workload_targets_resolve():
    assert resolve_target("nanvix_exp.workloads.fork_join.ForkJoin", "workload._target_", Workload) is ForkJoin
    for workload in ("fork_join", "ikc", "migration"):
        settings = load_settings(compose_config([f"workload={workload}"]))
        assert type(settings.workload).__module__.startswith("nanvix_exp.workloads.")


def test_a_config_dir_naming_an_entry_point_as_target_runs_nothing(runs_dir, tmp_path):
    folder = tmp_path / "myconf" / "workload"
    folder.mkdir(parents=True)
    (folder / "evil.yaml").write_text(
        "defaults:\n  - fork_join\n  - _self_\n_target_: nanvix_exp.__main__.main\nname: fork_join\n"
    )
    result = run_cli(runs_dir, *FAST, "workload=evil", "--config-dir", str(tmp_path / "myconf"))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "workload._target_=nanvix_exp.__main__.main" in lines[0], result.stderr
    assert not (runs_dir / "mlflow.db").exists()


def test_yaml_is_read_with_a_safe_loader():
    loader = get_yaml_loader()
    assert issubclass(loader, yaml.SafeLoader)
    assert not issubclass(loader, yaml.FullLoader | yaml.UnsafeLoader)
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load("x: !!python/object/apply:os.system ['true']\n", Loader=loader)


def test_python_tags_in_a_user_yaml_are_refused_in_one_line(runs_dir, tmp_path):
    folder = tmp_path / "myconf" / "hardware"
    folder.mkdir(parents=True)
    canary = tmp_path / "pwned"
    (folder / "evil.yaml").write_text(
        f"defaults:\n  - tiny\n  - _self_\nname: !!python/object/apply:os.system ['touch {canary}']\n"
    )
    result = run_cli(runs_dir, *FAST, "hardware=evil", "--config-dir", str(tmp_path / "myconf"))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "python/object" in lines[0] and "evil.yaml" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not canary.exists()
    assert not (runs_dir / "mlflow.db").exists()


def test_mlflow_ui_and_server_bind_localhost_unless_asked(tmp_path):
    from nanvix_exp.tracking.tools.server import ServerPlan

    for plan in (ServerPlan.ui(tmp_path), ServerPlan.shared(tmp_path)):
        command = plan.command()
        assert command[command.index("--host") + 1] == "127.0.0.1"
    justfile = (ROOT / "Justfile").read_text()
    recipes = [
        r for r in re.split(r"\n(?=\S)", justfile) if re.search(r"mlflow\s+(server|ui)\b|tracking\.tools\.server", r)
    ]
    assert {"ui", "server"} <= {recipe.split()[0] for recipe in recipes}
    for recipe in recipes:  # no recipe widens the default host
        assert all(host == "127.0.0.1" for host in re.findall(r"--host[ =](\S+)", recipe)), recipe
    usage = run_module_help("nanvix_exp.tracking.tools.server")
    assert "(default: 127.0.0.1)" in usage


def run_module_help(module: str) -> str:
    result = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.split())


UNSAFE_CALLS = {
    ("pickle", "load"),
    ("pickle", "loads"),
    ("cloudpickle", "load"),
    ("cloudpickle", "loads"),
    ("joblib", "load"),
    ("marshal", "loads"),
    ("shelve", "open"),
    ("yaml", "load"),
    ("yaml", "unsafe_load"),
    ("yaml", "full_load"),
    ("pd", "read_pickle"),
    ("pandas", "read_pickle"),
}


def unsafe_calls(source: str) -> list[str]:
    """Calls in ``source`` that could run code hidden in data they read."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        if (owner, name) in UNSAFE_CALLS or name in ("eval", "exec", "__import__"):
            found.append(f"{owner}.{name}" if owner else name)
        for keyword in node.keywords:
            if keyword.arg in ("allow_pickle", "shell") and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                found.append(f"{name}({keyword.arg}=...)")
    return found


def test_the_checker_finds_unsafe_calls():
    sample = "import pickle\npickle.loads(b)\nnp.load(f, allow_pickle=True)\neval(x)\nrun(c, shell=True)\n"
    assert unsafe_calls(sample) == ["pickle.loads", "load(allow_pickle=...)", "eval", "run(shell=...)"]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_unpickles_or_evaluates_what_it_reads(path: Path):
    assert unsafe_calls(path.read_text()) == []
