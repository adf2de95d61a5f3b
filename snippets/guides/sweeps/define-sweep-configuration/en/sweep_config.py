import wandb

# The same configuration as config.yaml, as a Python dictionary
sweep_configuration = {
    "program": "train.py",
    "name": "full-example",
    "description": "Tune the learning rate and the batch size",
    "method": "bayes",
    "metric": {
        "name": "val_loss",
        "goal": "minimize",
        "target": 0.05,
    },
    "parameters": {
        "lr": {
            "distribution": "log_uniform_values",
            "min": 0.0001,
            "max": 0.1,
        },
        "batch_size": {
            "values": [16, 32, 64],
        },
        "epochs": {
            "value": 10,
        },
    },
    "early_terminate": {
        "type": "hyperband",
        "min_iter": 3,
    },
    "run_cap": 20,
    "command": ["${env}", "${interpreter}", "${program}", "${args}"],
    "entity": "my-team",
    "project": "my-project",
}

sweep_id = wandb.sweep(sweep_configuration)
