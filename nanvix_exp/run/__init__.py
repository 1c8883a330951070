"""Running experiments: one job from its composed config to a finished record, and the checks that open a sweep."""
