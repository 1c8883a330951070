# nanvix-exp tasks — `just --list` shows them with their one-line docs.
# Recipes use the project venv (.venv, made by `just setup`); set NANVIX_PYTHON to use another interpreter.

set shell := ["bash", "-euo", "pipefail", "-c"]

python := env_var_or_default("NANVIX_PYTHON", ".venv/bin/python")
runs := env_var_or_default("NANVIX_EXP_RUNS", "runs")

# Create .venv, install nanvix-exp with the pinned dependencies and the test tools, compile the simulation kernels
setup:
    test -x .venv/bin/python || python3 -m venv .venv
    .venv/bin/pip install -r requirements-dev.txt -e .
    .venv/bin/python -m nanvix_exp.run.warmup

# Run one experiment with overrides, e.g. `just run kernel=baseline hardware.cluster.dcache.size="16 KiB"`
run *ARGS:
    {{python}} -m nanvix_exp {{ARGS}}

# Sweep with Hydra's -m, e.g. `just sweep kernel=baseline,uarea hardware.cluster.dcache.ways=1,2,4`
sweep *ARGS:
    {{python}} -m nanvix_exp -m {{ARGS}}

# Reproduce the whole paper (Figure 3 + migration, both kernels) and print the report
paper *ARGS:
    {{python}} -m nanvix_exp -m experiment=paper {{ARGS}}
    {{python}} -m nanvix_exp.analysis --experiment paper

# Figure 3 only (both kernels), then its report with the reference comparison
paper-fig3 *ARGS:
    {{python}} -m nanvix_exp -m experiment=paper_fig3 {{ARGS}}
    {{python}} -m nanvix_exp.analysis --experiment paper_fig3

# List the experiments with their run counts, or compare the runs of one: `just report paper_fig3 --csv runs/reports/fig3.csv`
report EXPERIMENT="" *ARGS:
    {{python}} -m nanvix_exp.analysis {{ if EXPERIMENT == "" { "" } else { "--experiment " + EXPERIMENT } }} {{ARGS}}

# MLflow UI on http://127.0.0.1:PORT over the default store (light mode: one worker, no job runner)
ui PORT="5000" *ARGS:
    {{python}} -m nanvix_exp.tracking.tools.server --ui --runs {{runs}} --port {{PORT}} {{ARGS}}

# Shared tracking server on http://127.0.0.1:PORT for tracking=server (SQLite runs/server.db, artifacts proxied)
server PORT="5000" *ARGS:
    {{python}} -m nanvix_exp.tracking.tools.server --runs {{runs}} --port {{PORT}} {{ARGS}}

# Screenshot of the MLflow UI (chart view of an experiment, default paper_fig3) into docs/ui.png (needs chromium)
screenshot *ARGS:
    {{python}} -m nanvix_exp.tracking.tools.browser --runs {{runs}} --out docs/ui.png {{ARGS}}

# Run the test suite (the same command CI runs)
test *ARGS:
    {{python}} -m pytest {{ARGS}}

# Run the benchmark suite: prints a table, writes JSON and PNGs to runs/bench/
bench *ARGS:
    {{python}} -m benchmarks {{ARGS}}

# Regenerate the README's config reference from the config files and specs (tests/test_readme.py checks it)
config-reference:
    {{python}} -m nanvix_exp.config.reference --write README.md

# Lint and format-check the code
lint:
    {{python}} -m ruff check nanvix_exp tests benchmarks
    {{python}} -m ruff format --check nanvix_exp tests benchmarks

# Re-fit the calibrated parameters: the IKC/migration costs and the shared timer tick first, then the thread costs
calibrate:
    {{python}} -m nanvix_exp.calibration ikc
    {{python}} -m nanvix_exp.calibration threads
