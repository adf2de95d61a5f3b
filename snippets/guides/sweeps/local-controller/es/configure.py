import wandb

# La configuración del barrido, una llamada por clave
tuner = wandb.controller()
tuner.configure_search("grid")
tuner.configure_program("train.py")
tuner.configure_parameter("lr", values=[0.1, 0.01, 0.001])
tuner.configure_metric("val_loss", goal="minimize")
tuner.configure_controller(type="local")
sweep_id = tuner.create()
