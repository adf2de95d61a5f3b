# train_original.py
import random


def train_one_epoch(epoch, lr, bs):
    acc = 0.25 + ((epoch / 30) + (random.random() / 10))
    loss = 0.2 + (1 - ((epoch - 1) / 10 + random.random() / 5))
    return acc, loss


def evaluate_one_epoch(epoch):
    acc = 0.1 + ((epoch / 20) + (random.random() / 10))
    loss = 0.25 + (1 - ((epoch - 1) / 10 + random.random() / 6))
    return acc, loss


config = {"lr": 0.0001, "bs": 16, "epochs": 5}


def main():
    # Lee los hiperparámetros de `config`
    # en lugar de fijarlos en el bucle
    lr = config["lr"]
    bs = config["bs"]
    epochs = config["epochs"]

    for epoch in range(1, epochs + 1):
        train_acc, train_loss = train_one_epoch(epoch, lr, bs)
        val_acc, val_loss = evaluate_one_epoch(epoch)

        print("epoch:", epoch)
        print(f"  precisión de entrenamiento: {train_acc:.3f}, pérdida de entrenamiento: {train_loss:.3f}")
        print(f"  precisión de validación: {val_acc:.3f}, pérdida de validación: {val_loss:.3f}")


# Llama a la función principal.
main()
