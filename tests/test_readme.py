"""The README stays true: its config reference is the generated one and lists every key; a two-command quick start."""

import re

import pytest

from nanvix_exp.config.compose import CONFIG_DIR
from nanvix_exp.config.load import resolved_config
from nanvix_exp.config.reference import reference_rows, table_in
from nanvix_exp.tracking.client.recorder import flatten
from tests.conftest import ROOT, compose_config

README = (ROOT / "README.md").read_text()


def documented_keys() -> set[str]:
    section = README.split("## Config reference", 1)[1].split("\n## ", 1)[0]
    keys: set[str] = set()
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        previous = ""
        for token in re.findall(r"`([^`]+)`", line.split("|")[1]):
            key = token if "." in token or not previous else previous.rsplit(".", 1)[0] + "." + token
            keys.add(key)
            previous = key
    return keys


@pytest.mark.parametrize("workload", sorted(p.stem for p in (CONFIG_DIR / "workload").glob("*.yaml")))
def test_every_config_key_is_documented(workload):
    keys = set(flatten(resolved_config(compose_config([f"workload={workload}"]))))
    missing = sorted(k for k in keys - documented_keys() if k != "workload._target_")
    assert not missing, f"README config reference lacks: {missing}"


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", quick, flags=re.S)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    test_command = blocks[1].strip().split("&&")[-1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_config_reference_is_the_one_generated_from_the_config_files():
    generated = reference_rows()
    assert table_in(README) == generated, "README config reference is stale: run `just config-reference`"
    calibrated = [row for row in generated if "(`calibration/" in row]
    assert calibrated, "calibrated keys show the calibration file's value and comment"
