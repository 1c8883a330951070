"""Configuration: unit parsing, spec conversion and validation, structured-config schemas."""
