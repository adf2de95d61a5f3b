"""``wandb.helper`` (wandb/sdk/wandb_helper.py in 0.31): ``parse_config``, which keeps or
leaves out keys of a config; the replacement 0.31 recommends for wandb.init's deprecated
``config_include_keys`` and ``config_exclude_keys``."""

from wandb import _config

__all__ = ["parse_config"]


def parse_config(params, exclude=None, include=None):  # unannotated, like the real one
    """A dict of ``params`` (a dict, an object with attributes or a YAML file's path)
    without the keys in ``exclude``, or with only those in ``include``; not both."""
    return _config.parse_config(params, exclude=exclude, include=include)
