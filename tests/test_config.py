"""Real Hydra composition of the real conf/: every option composes, bad values fail with the dotted key."""

import pytest

from nanvix_exp.config.compose import CONFIG_DIR
from nanvix_exp.config.errors import ConfigError
from nanvix_exp.config.load import load_settings
from tests.conftest import compose_config

GROUPS = ("hardware", "kernel", "workload", "tracking", "experiment")


def options(group: str) -> list[str]:
    return sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))


@pytest.mark.parametrize(("group", "option"), [(g, o) for g in GROUPS for o in options(g)])
def test_every_option_of_every_group_composes_and_validates(group, option):
    settings = load_settings(compose_config([f"{group}={option}"]))
    assert settings.hardware.clock > 0
    assert settings.tracking.uri.startswith(("sqlite:////", "http"))


def test_defaults_are_the_paper_machine():
    settings = load_settings(compose_config())
    hw = settings.hardware
    assert hw.name == "mppa256" and hw.clock == 400e6
    assert hw.cluster.cores == 16 and hw.cluster.sram == 2 * 1024**2
    assert (hw.cluster.dcache.size, hw.cluster.dcache.line, hw.cluster.dcache.sets) == (8192, 64, 64)
    assert len(hw.compute_clusters) == 16 and hw.io_clusters == ("iocluster0", "iocluster1")
    assert settings.kernel.thread_max == 18 and settings.kernel.kpages == 40
    assert settings.workload.spec.threads == tuple(range(1, 18))


def test_experiment_presets_name_their_experiment_and_sweep():
    cfg = compose_config(["experiment=paper_fig3"])
    assert cfg.tracking.experiment == "paper_fig3"
    assert cfg.workload.name == "fork_join"
    migration = compose_config(["experiment=paper_migration"])
    assert migration.workload.name == "migration" and migration.kernel.name == "uarea"


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ("hardware.cluster.dcache.ways=3", "hardware.cluster.dcache.ways"),
        ("hardware.cluster.dcache.size=6KiB", "hardware.cluster.dcache.size"),
        ("hardware.cluster.icache.line=48B", "hardware.cluster.icache.line"),
        ("hardware.cluster.dcache.line=16KiB", "hardware.cluster.dcache.line"),
        ("hardware.cluster.sram=-1MiB", "hardware.cluster.sram"),
        ("hardware.cluster.sram=2MiBs", "hardware.cluster.sram"),
        ("hardware.cluster.dcache.replacement=mru", "hardware.cluster.dcache.replacement"),
        ("hardware.clock=0Hz", "hardware.clock"),
        ("hardware.cluster.cores=1", "hardware.cluster.cores"),
        ("hardware.cluster.cores=65", "hardware.cluster.cores"),
        ("kernel.thread_max=19", "kernel.thread_max"),
        ("workload.threads=[0,1]", "workload.threads"),
        ("workload.threads=[18]", "workload.threads"),
        ("workload.iterations=0", "workload.iterations"),
        ("workload.warmup=-1", "workload.warmup"),
        ("seed=-3", "seed"),
        ("progress=sometimes", "progress"),
        ("tracking.uri=ftp://example.invalid/x", "tracking.uri"),
        ("tracking.timeout=0s", "tracking.timeout"),
    ],
)
def test_bad_values_name_the_key(override, key):
    with pytest.raises(ConfigError) as info:
        load_settings(compose_config([override]))
    assert info.value.key == key
    message = str(info.value)
    assert message.startswith(f"invalid config: {key}=") and "allowed:" in message and "\n" not in message


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (["workload.source=ccluster1"], "workload.destination"),
        (["workload.destination=iocluster0"], "workload.destination"),
        (["workload.destination=ccluster16"], "workload.destination"),
        (["workload.source=banana"], "workload.source"),
        (["workload.image=3MiB"], "workload.image"),
        (["workload.threads=19"], "workload.threads"),
        (["workload.protocol=carrier_pigeon"], "workload.protocol"),
        (["workload.strategy=post_copy"], "workload.strategy"),
        (["workload.pairs=[[ccluster0,ccluster0]]"], "workload.pairs[0][1]"),
        (["workload.replications=0"], "workload.replications"),
        (["hardware=tiny", "workload.destination=ccluster5"], "workload.destination"),
    ],
)
def test_bad_migration_values_name_the_key(overrides, key):
    with pytest.raises(ConfigError) as info:
        load_settings(compose_config(["workload=migration", *overrides]))
    assert info.value.key == key


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (["workload.clusters=17"], "workload.clusters"),
        (["workload.primitive=mailbox", "workload.buffer=4KiB"], "workload.buffer"),
        (["workload.pattern=multicast"], "workload.pattern"),
        (["workload.buffer=0B"], "workload.buffer"),
    ],
)
def test_bad_ikc_values_name_the_key(overrides, key):
    with pytest.raises(ConfigError) as info:
        load_settings(compose_config(["workload=ikc", *overrides]))
    assert info.value.key == key


def test_unknown_nested_key_is_rejected_even_when_appended():
    with pytest.raises(ConfigError, match=r"hardware\.cluster\.colour"):
        load_settings(compose_config(["+hardware.cluster.colour=red"]))


def test_target_outside_the_package_is_refused():
    with pytest.raises(ConfigError, match=r"workload\._target_"):
        load_settings(compose_config(["workload._target_=os.system"]))
    with pytest.raises(ConfigError, match=r"workload\._target_"):
        load_settings(compose_config(["workload._target_=nanvix_exp.system.System"]))
