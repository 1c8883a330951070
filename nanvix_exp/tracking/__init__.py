"""MLflow tracking: the store, run identity, records, sweep parents, liveness."""
