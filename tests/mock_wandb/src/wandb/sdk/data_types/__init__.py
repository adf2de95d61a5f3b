"""Path shim: W&B data types at their real dotted paths (``wandb.sdk.data_types.*``)."""
