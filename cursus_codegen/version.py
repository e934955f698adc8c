"""The generator's name and version, as the module's header and `--generator-version` show
them (the version is pyproject.toml's; a test keeps them equal)."""

__version__ = "0.1.0"
GENERATOR_NAME = "cursus-codegen"
