# A new virtual environment, for the mock only
uv venv wandb-mock
source wandb-mock/bin/activate
# The wheel, from the folder you downloaded it to, with what it needs
uv pip install ./wandb_reference_mock-0.31.0+mock-py3-none-any.whl
