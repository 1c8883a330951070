"""The MLflow store client: where runs go, what identifies one, and how a run is written."""
