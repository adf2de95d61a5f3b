"""ConfigError and the sweep parameter file format, at the real SDK's module path.

The real SDK raises ``wandb.sdk.lib.config_util.ConfigError`` when a config value
changes; tracebacks in the docs print that qualified name, so the class lives here.
The parameter-file helpers mirror ``save_config_file_from_dict`` and
``dict_from_config_file`` of the real module (same YAML layout).
"""

from __future__ import annotations

import os
from typing import Any

from wandb.errors import Error


class ConfigError(Error):
    pass


def save_config_file_from_dict(config_filename: str, config_dict: dict) -> None:
    """Write ``wandb_version: 1`` then the parameters as ``name: {value: v}``."""
    import yaml

    s = b"wandb_version: 1"
    if config_dict:  # an empty dict here would make the file unparsable
        s += b"\n\n" + yaml.dump(
            config_dict,
            Dumper=yaml.SafeDumper,
            default_flow_style=False,
            allow_unicode=True,
            encoding="utf-8",
            sort_keys=False,
        )
    os.makedirs(os.path.dirname(config_filename) or ".", exist_ok=True)
    with open(config_filename, "w") as conf_file:
        conf_file.write(s.decode("utf-8"))


def dict_from_config_file(filename: str, must_exist: bool = False) -> dict[str, Any] | None:
    """Read a config file whose entries are ``name: {value: v}``; return ``{name: v}``."""
    import yaml

    from wandb._term import termwarn

    if not os.path.exists(filename):
        if must_exist:
            raise ConfigError(f"config file {filename} doesn't exist")
        return None
    try:
        conf_file = open(filename)
    except OSError:
        raise ConfigError(f"Couldn't read config file: {filename}")
    with conf_file:
        try:
            loaded = yaml.safe_load(conf_file)
        except yaml.parser.ParserError:
            raise ConfigError("Invalid YAML in config yaml")
    if loaded is None:
        termwarn(
            "Found an empty default config file (config-defaults.yaml). Proceeding with no defaults."
        )
        return None
    config_version = loaded.pop("wandb_version", None)
    if config_version is not None and config_version != 1:
        raise ConfigError("Unknown config version")
    # Strict like the real one: every entry must be a {value: ...} mapping.
    return {k: v["value"] for k, v in loaded.items()}


def merge_dicts(dest: dict, src: dict) -> dict:
    """Recursively merge two dictionaries (like the real one, Lodash's _.merge)."""
    for key, value in src.items():
        if isinstance(value, dict) and key in dest and isinstance(dest[key], dict):
            merge_dicts(dest[key], value)
        else:
            dest[key] = value
    return dest
