"""One registration per workload: the catalog, the YAML options, the runner's metric check and the report read it."""

import inspect

import numpy as np
import pytest

from nanvix_exp.analysis.view import ReportView, view_of
from nanvix_exp.config.compose import CONFIG_DIR
from nanvix_exp.config.errors import ConfigError
from nanvix_exp.config.load import load_settings
from nanvix_exp.progress import Silent
from nanvix_exp.system import System
from nanvix_exp.workloads.catalog import registrations
from nanvix_exp.workloads.registration import MetricContractError
from tests.conftest import compose_config

TINY = {
    "fork_join": ["workload.iterations=2", "workload.warmup=0", "workload.threads=[1,2]"],
    "ikc": ["workload.clusters=2", "workload.iterations=2", "workload.warmup=0"],
    "migration": ["workload.replications=2", "workload.strategy=pre_copy", "workload.protocol=daemon"],
}


def test_every_option_file_has_a_registration_and_every_registration_an_option_file():
    options = {p.stem for p in (CONFIG_DIR / "workload").glob("*.yaml")}
    assert options == set(registrations())


@pytest.mark.parametrize("name", sorted(registrations()))
def test_the_option_file_takes_target_and_name_from_the_registration(name):
    registration = registrations()[name]
    text = (CONFIG_DIR / "workload" / f"{name}.yaml").read_text()
    assert "\n_target_:" not in text and "\nname:" not in text
    settings = load_settings(compose_config([f"workload={name}"]))
    assert settings.resolved["workload"]["_target_"] == registration.target
    assert settings.resolved["workload"]["name"] == name
    assert settings.registration is registration and type(settings.workload) is registration.workload


@pytest.mark.parametrize("name", sorted(registrations()))
def test_a_run_produces_only_declared_metrics_with_their_units(name):
    registration = registrations()[name]
    settings = load_settings(compose_config(["hardware=tiny", f"workload={name}", *TINY[name]]))
    system = System(settings.hardware, settings.kernel)
    frame = settings.workload.run(system, np.random.SeedSequence(0), Silent()).frame()
    produced = set(frame.select("metric", "unit").unique().iter_rows())
    declared = {(m.name, m.unit) for m in registration.metrics}
    assert produced and produced <= declared
    registration.check_metrics(produced)
    with pytest.raises(MetricContractError, match="undeclared"):
        registration.check_metrics([*produced, ("not_declared_ms", "ms")])


@pytest.mark.parametrize("name", sorted(n for n, r in registrations().items() if r.view))
def test_every_named_view_keeps_the_report_view_protocol(name):
    view = view_of(name)
    assert isinstance(view, ReportView)
    for method in ("reference_rows", "sections"):
        expected = list(inspect.signature(getattr(ReportView, method)).parameters)[1:]  # without self
        assert list(inspect.signature(getattr(view, method)).parameters) == expected
    assert all(row[0] == name for row in view.reference_rows())


def test_a_workload_name_other_than_the_registered_one_is_refused():
    with pytest.raises(ConfigError) as info:
        load_settings(compose_config(["workload=ikc", "workload.name=fork_join"]))
    assert info.value.key == "workload.name" and "ikc" in info.value.allowed


def test_a_workload_class_without_registration_is_refused():
    with pytest.raises(ConfigError) as info:
        load_settings(compose_config(["workload._target_=nanvix_exp.workloads.base.Workload"]))
    assert info.value.key == "workload._target_" and "registered workload" in info.value.allowed


def test_an_unregistered_workload_has_no_view():
    assert view_of("no_such_workload") is None
