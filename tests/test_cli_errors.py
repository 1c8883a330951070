"""Bad input through the real CLI: one line naming the key, non-zero exit, nothing left in the store."""

import pytest

from tests.conftest import FAST, all_runs, run_cli


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        ("hardware.cluster.dcache.ways=3", "hardware.cluster.dcache.ways=3"),
        ("hardware.cluster.sram=-1 MiB", "hardware.cluster.sram='-1 MiB'"),
        ("hardware.cluster.dcache.wayz=2", "hardware.cluster.dcache.wayz"),
        ("hardware.cluster.dcache.ways=two", "hardware.cluster.dcache.ways=two"),
        ("kernel=linux", "kernel=linux"),
    ],
)
def test_bad_override_is_one_line_with_the_key(runs_dir, override, needle):
    result = run_cli(runs_dir, *FAST, override)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0] and "allowed" in lines[0]
    assert "Traceback" not in result.stderr
    assert not [r for r in all_runs(runs_dir) if r.info.status == "RUNNING"]
    assert all_runs(runs_dir) == []


def test_full_error_shows_the_traceback(runs_dir):
    result = run_cli(runs_dir, *FAST, "hardware.cluster.dcache.ways=3", env={"HYDRA_FULL_ERROR": "1"})
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_works_from_any_directory_and_with_a_user_config_dir(runs_dir, tmp_path):
    extra = tmp_path / "myconf" / "hardware"
    extra.mkdir(parents=True)
    (extra / "bigcache.yaml").write_text(
        "defaults:\n  - tiny\n  - _self_\nname: bigcache\ncluster:\n  dcache:\n    size: 16 KiB\n"
    )
    result = run_cli(runs_dir, *FAST, "hardware=bigcache", "--config-dir", str(tmp_path / "myconf"), check=True)
    assert "FINISHED" in result.stderr
    (run,) = all_runs(runs_dir)
    assert run.data.params["hardware.cluster.dcache.size"] == "16 KiB"
