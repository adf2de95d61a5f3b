"""Only here so that ``wandb.sdk.lib.config_util.ConfigError`` has the real dotted path."""
