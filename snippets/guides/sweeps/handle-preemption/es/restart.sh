# Cuando el trabajo vuelve a empezar: asegúrate de que el barrido entrega pruebas e inicia el agente
wandb sweep --resume tu-entidad/demo-interrupcion/sweepID
wandb agent --forward-signals tu-entidad/demo-interrupcion/sweepID
