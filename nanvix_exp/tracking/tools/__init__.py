"""Tools over the store: the light-mode MLflow server and the MLflow UI rendered by headless Chromium.

``python -m nanvix_exp.tracking.tools.server`` (``just server``, ``just ui``) and
``python -m nanvix_exp.tracking.tools.browser`` (``just screenshot``).
"""
