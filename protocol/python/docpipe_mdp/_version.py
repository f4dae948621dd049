"""The package version, read by pyproject.toml (`[tool.setuptools.dynamic]`) and `docpipe_mdp.__version__`."""

__version__ = "0.2.0"
