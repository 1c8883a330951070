"""The URLs of the MLflow UI pages a researcher opens: an experiment as it lands, its runs table or charts.

MLflow 3.17's UI chooses where an experiment opens from a workflow switch it
keeps in the browser (*GenAI* by default, whose overview shows traces and
tokens), not from the experiment's ``mlflow.experimentKind`` tag; the
``workflowType`` parameter of a URL selects *Model training* for that page,
which then opens on the runs table. Every link nanvix-exp prints carries it.
"""

from __future__ import annotations

MODEL_TRAINING = "workflowType=machine_learning"
"""URL parameter that selects MLflow 3's *Model training* workflow (runs, charts) instead of its GenAI pages."""


def experiment_page(base_url: str, experiment_id: str) -> str:
    """URL of an experiment as a researcher opens it: the UI picks its first view (the runs table)."""
    return f"{base_url}/#/experiments/{experiment_id}?{MODEL_TRAINING}"


def runs_page(base_url: str, experiment_id: str, view: str = "TABLE") -> str:
    """URL of an experiment's runs page sorted by run name, in the ``TABLE`` or ``CHART`` view."""
    return (
        f"{base_url}/#/experiments/{experiment_id}/runs"
        f"?orderByKey=attributes.%60run_name%60&orderByAsc=true&compareRunsMode={view}&{MODEL_TRAINING}"
    )
