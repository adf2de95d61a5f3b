"""Path shim: the real SDK's ``wandb.sdk.wandb_config.Config`` is ``wandb._config.Config``."""

from wandb._config import Config

__all__ = ["Config"]
