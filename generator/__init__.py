"""Career Paths: career frameworks in YAML, validated and published as a site."""

__version__ = "0.1.0"
