# El agente pasa las señales que recibe a la prueba en curso
wandb agent --forward-signals tu-entidad/demo-interrupcion/sweepID
