# Un entorno virtual nuevo, solo para la simulación
uv venv wandb-mock
source wandb-mock/bin/activate
# El wheel, desde la carpeta en la que lo descargaste, con lo que necesita
uv pip install ./wandb_reference_mock-0.31.0+mock-py3-none-any.whl
