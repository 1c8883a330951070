"""Every value a researcher can get wrong, through the real CLI: one line, exit 2, nothing in the store.

Each case is one real ``python -m nanvix_exp`` subprocess on the real ``conf/``
with a fresh SQLite store. The line must name the dotted key (as typed on the
command line), the bad value and what is allowed; no traceback is printed and
no run (RUNNING or otherwise) is written.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nanvix_exp.config.load import load_settings
from nanvix_exp.failures import UserError, reported
from nanvix_exp.tracking.tools.server import free_port
from tests.conftest import FAST, compose_config, run_cli

BASE = ["hardware=tiny", "progress=never"]
FORK_JOIN = FAST
MIGRATION = [*BASE, "workload=migration", "workload.replications=2"]
IKC = [*BASE, "workload=ikc", "workload.iterations=2"]

# (case id, overrides, text the one line must contain)
CASES = [
    ("size-not-a-number", [*FORK_JOIN, "hardware.cluster.sram=lots"], "hardware.cluster.sram=lots"),
    ("size-negative", [*FORK_JOIN, "hardware.cluster.sram=-1 MiB"], "hardware.cluster.sram='-1 MiB'"),
    ("unknown-size-unit", [*FORK_JOIN, "hardware.cluster.sram=2 furlongs"], "hardware.cluster.sram='2 furlongs'"),
    ("unknown-frequency-unit", [*FORK_JOIN, "hardware.clock=400 MB"], "hardware.clock='400 MB'"),
    ("unknown-time-unit", [*FORK_JOIN, "tracking.timeout=3 fortnights"], "tracking.timeout='3 fortnights'"),
    (
        "cache-size-not-power-of-two",
        [*FORK_JOIN, "hardware.cluster.dcache.size=6 KiB"],
        "hardware.cluster.dcache.size='6 KiB'",
    ),
    ("line-not-power-of-two", [*FORK_JOIN, "hardware.cluster.icache.line=48 B"], "hardware.cluster.icache.line='48 B'"),
    ("ways-not-dividing-sets", [*FORK_JOIN, "hardware.cluster.dcache.ways=3"], "hardware.cluster.dcache.ways=3"),
    (
        "line-larger-than-cache",
        [*FORK_JOIN, "hardware.cluster.dcache.line=16 KiB"],
        "hardware.cluster.dcache.line='16 KiB'",
    ),
    ("clock-zero", [*FORK_JOIN, "hardware.clock=0 MHz"], "hardware.clock='0 MHz'"),
    ("clock-negative", [*FORK_JOIN, "hardware.clock=-400 MHz"], "hardware.clock='-400 MHz'"),
    ("cores-too-few", [*FORK_JOIN, "hardware.cluster.cores=1"], "hardware.cluster.cores=1"),
    ("cores-too-many", [*FORK_JOIN, "hardware.cluster.cores=65"], "hardware.cluster.cores=65"),
    (
        "unknown-replacement",
        [*FORK_JOIN, "hardware.cluster.dcache.replacement=plru"],
        "hardware.cluster.dcache.replacement=plru",
    ),
    ("thread-max-too-large", [*FORK_JOIN, "kernel.thread_max=100"], "kernel.thread_max=100"),
    ("threads-above-thread-max", [*FORK_JOIN, "workload.threads=[1,18]"], "workload.threads=18"),
    ("threads-below-one", [*FORK_JOIN, "workload.threads=[0,1]"], "workload.threads=0"),
    ("threads-not-a-list", [*FORK_JOIN, "workload.threads=lots"], "workload.threads=lots"),
    ("iterations-zero", [*FORK_JOIN, "workload.iterations=0"], "workload.iterations=0"),
    ("migration-threads-zero", [*MIGRATION, "workload.threads=0"], "workload.threads=0"),
    ("process-larger-than-sram", [*MIGRATION, "workload.image=3 MiB"], "workload.image='3 MiB'"),
    ("source-equals-destination", [*MIGRATION, "workload.destination=ccluster0"], "workload.destination=ccluster0"),
    ("destination-io-cluster", [*MIGRATION, "workload.destination=iocluster0"], "workload.destination=iocluster0"),
    ("cluster-id-out-of-range", [*MIGRATION, "workload.source=ccluster16"], "workload.source=ccluster16"),
    ("pair-out-of-range", [*MIGRATION, "workload.pairs=[[ccluster0,ccluster99]]"], "workload.pairs[0][1]=ccluster99"),
    ("unknown-protocol", [*MIGRATION, "workload.protocol=rsync"], "workload.protocol=rsync"),
    ("unknown-strategy", [*MIGRATION, "workload.strategy=post_copy"], "workload.strategy=post_copy"),
    ("unknown-pattern", [*IKC, "workload.pattern=ring"], "workload.pattern=ring"),
    ("mailbox-buffer-too-large", [*IKC, "workload.primitive=mailbox", "workload.buffer=4 KiB"], "workload.buffer"),
    ("ikc-clusters-out-of-range", [*IKC, "workload.clusters=17"], "workload.clusters=17"),
    ("unknown-kernel-option", [*FORK_JOIN, "kernel=linux"], "kernel=linux"),
    ("unknown-hardware-option", [*FORK_JOIN, "hardware=x86"], "hardware=x86"),
    ("unknown-workload-option", [*FORK_JOIN, "workload=stream"], "workload=stream"),
    ("unknown-experiment-option", [*FORK_JOIN, "experiment=paper_fig9"], "experiment=paper_fig9"),
    ("unknown-key", [*FORK_JOIN, "hardware.cluster.dcache.wayz=2"], "hardware.cluster.dcache.wayz"),
    ("unknown-top-level-key", [*FORK_JOIN, "+colour=blue"], "colour"),
    ("override-syntax", [*FORK_JOIN, "hardware.clock=[400"], "hardware.clock"),
    ("seed-negative", [*FORK_JOIN, "seed=-1"], "seed=-1"),
    ("progress-unknown", [*FORK_JOIN, "progress=sometimes"], "progress=sometimes"),
    ("tracking-uri-scheme", [*FORK_JOIN, "tracking.uri=mysql://db/x"], "tracking.uri=mysql://db/x"),
    ("tracking-timeout-zero", [*FORK_JOIN, "tracking.timeout=0 s"], "tracking.timeout='0 s'"),
    ("foreign-target", [*FORK_JOIN, "workload._target_=os.system"], "workload._target_=os.system"),
]

# More values of the same kinds, checked in-process on the same validation path (each CLI case costs a process)
MORE_CASES = [
    ("size-zero", [*FORK_JOIN, "hardware.cluster.sram=0"], "hardware.cluster.sram=0"),
    (
        "size-fraction-of-a-byte",
        [*FORK_JOIN, "hardware.cluster.dcache.line=0.5 B"],
        "hardware.cluster.dcache.line='0.5 B'",
    ),
    ("ways-zero", [*FORK_JOIN, "hardware.cluster.dcache.ways=0"], "hardware.cluster.dcache.ways=0"),
    ("noc-no-columns", [*FORK_JOIN, "hardware.noc.columns=0"], "hardware.noc.columns=0"),
    ("kpool-not-page-multiple", [*FORK_JOIN, "kernel.kpool=5000"], "kernel.kpool=5000"),
    ("threads-empty", [*FORK_JOIN, "workload.threads=[]"], "workload.threads=[]"),
    ("iterations-not-whole", [*FORK_JOIN, "workload.iterations=2.5"], "workload.iterations=2.5"),
    ("warmup-negative", [*FORK_JOIN, "workload.warmup=-1"], "workload.warmup=-1"),
    ("migration-threads-above-max", [*MIGRATION, "workload.threads=19"], "workload.threads=19"),
    ("pair-not-a-pair", [*MIGRATION, "workload.pairs=[[ccluster0]]"], "workload.pairs[0]"),
    ("unknown-primitive", [*IKC, "workload.primitive=pipe"], "workload.primitive=pipe"),
    ("seed-not-a-number", [*FORK_JOIN, "seed=abc"], "seed=abc"),
    ("force-not-bool", [*FORK_JOIN, "force=maybe"], "force=maybe"),
    ("tracking-retries-negative", [*FORK_JOIN, "tracking.retries=-1"], "tracking.retries=-1"),
]


def one_line(result) -> str:
    """The single non-empty stderr line of a failed run (fails the test otherwise)."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout.strip() == "", (result.stdout, result.stderr)
    return lines[0]


def assert_nothing_recorded(runs_dir: Path) -> None:
    """No run at all: validation happens before the store is even opened, so no database either."""
    database = runs_dir / "mlflow.db"
    if database.exists():
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM runs").fetchone() == (0,)


@pytest.mark.parametrize(("overrides", "needle"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_value_is_one_line_naming_key_value_and_allowed(runs_dir, overrides, needle):
    result = run_cli(runs_dir, *overrides)
    assert result.returncode == 2, result.stderr
    line = one_line(result)
    assert needle in line and "allowed" in line, line
    assert_nothing_recorded(runs_dir)


@pytest.mark.parametrize(("overrides", "needle"), [c[1:] for c in MORE_CASES], ids=[c[0] for c in MORE_CASES])
def test_more_bad_values_name_key_value_and_allowed(overrides, needle):
    with pytest.raises(UserError) as raised, reported():
        load_settings(compose_config(overrides))
    line = str(raised.value)
    assert "\n" not in line and needle in line and "allowed" in line, line


def test_bad_value_in_a_sweep_is_one_line_and_records_nothing(runs_dir):
    result = run_cli(runs_dir, "-m", *FAST, "hardware.cluster.dcache.ways=1,3")
    assert result.returncode == 2
    line = one_line(result)
    assert "hardware.cluster.dcache.ways=3" in line and "allowed" in line
    assert_nothing_recorded(runs_dir)


def test_broken_user_yaml_is_one_line_naming_the_file(runs_dir, tmp_path):
    folder = tmp_path / "myconf" / "hardware"
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("defaults:\n  - tiny\nname: broken\ncluster: {cores: 4\n  sram: 2 MiB\n")
    result = run_cli(runs_dir, *FAST, "hardware=broken", "--config-dir", str(tmp_path / "myconf"))
    assert result.returncode == 2
    line = one_line(result)
    assert "broken.yaml" in line or "hardware=broken" in line, line
    assert_nothing_recorded(runs_dir)


def test_unreachable_tracking_server_fails_fast_with_one_line(runs_dir):
    uri = f"http://127.0.0.1:{free_port()}"
    # run_cli's own timeout (60 s) fails the test if the CLI hangs past the documented tracking.timeout
    result = run_cli(runs_dir, *FAST, "tracking=server", f"tracking.uri={uri}", "tracking.timeout=2 s", timeout=60)
    assert result.returncode == 2
    line = one_line(result)
    assert f"tracking.uri={uri}" in line and "no MLflow server answered within 2 s" in line, line
    assert not (runs_dir / "mlflow.db").exists()


def test_unresolvable_tracking_host_is_one_line(runs_dir):
    result = run_cli(runs_dir, *FAST, "tracking=server", "tracking.uri=http://no-such-host.invalid:5000", timeout=60)
    assert result.returncode == 2
    assert "tracking.uri=http://no-such-host.invalid:5000" in one_line(result)
