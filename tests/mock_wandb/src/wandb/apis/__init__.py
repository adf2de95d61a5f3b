"""``wandb.apis``: only the public API (``wandb.apis.public``) is mocked."""
