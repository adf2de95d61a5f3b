import math
import sys

import matplotlib

matplotlib.use("Agg")  # dibuja en archivos, sin ventana
import matplotlib.pyplot as plt

import wandb

# El mismo texto SVG cada vez que se ejecuta: ids fijos, sin fecha, una fuente fija
plt.rcParams.update({"svg.hashsalt": "sweep-plots", "font.family": "DejaVu Sans", "font.size": 9})
SVG = {"format": "svg", "metadata": {"Date": None}}

# La ruta completa del barrido, "entidad/proyecto/ID del barrido", desde la línea de comandos
sweep = wandb.Api().sweep(sys.argv[1])
metric = sweep.config["metric"]["name"]
params = sweep.config["parameters"]  # los hiperparámetros que exploró el barrido
runs = [run for run in sweep.runs if run.state == "finished"]  # en orden de creación
best = sweep.best_run()
print(f"Barrido {sweep.name}: {len(runs)} runs terminados, el mejor es {best.id}")

# Una fila por run: sus hiperparámetros y el valor final de la métrica
rows = [{**{p: run.config[p] for p in params}, metric: run.summary[metric]} for run in runs]
is_log = {p: params[p].get("distribution", "").startswith(("log", "q_log")) for p in params}
losses = [row[metric] for row in rows]
best_row = next(row for run, row in zip(runs, rows) if run.id == best.id)

# 1. La métrica frente a cada hiperparámetro, con el mejor run en rojo
fig, axes = plt.subplots(1, len(params), figsize=(7.5, 2.6), sharey=True, layout="constrained")
for ax, p in zip(axes, params):
    ax.scatter([row[p] for row in rows], losses, s=14, color="tab:blue")
    ax.scatter([best_row[p]], [best_row[metric]], s=30, color="tab:red", label="mejor run")
    ax.set_xscale("log" if is_log[p] else "linear")
    ax.set_xlabel(p)
axes[0].set_ylabel(f"{metric} (final)")
axes[0].legend(loc="upper left")
fig.savefig("metric_by_hyperparameter.svg", **SVG)

# 2. Coordenadas paralelas: una línea por run que cruza cada hiperparámetro y la métrica
columns = [*params, metric]
scale = {}
for col in columns:
    values = [math.log10(r[col]) if is_log.get(col) else r[col] for r in rows]
    scale[col] = (min(values), max(values))


def position(col, value):
    lo, hi = scale[col]
    value = math.log10(value) if is_log.get(col) else value
    return (value - lo) / (hi - lo) if hi > lo else 0.5


fig, ax = plt.subplots(figsize=(7.5, 3), layout="constrained")
color = plt.Normalize(min(losses), max(losses))
for row in sorted(rows, key=lambda r: -r[metric]):  # las mejores líneas, encima
    ys = [position(c, row[c]) for c in columns]
    ax.plot(range(len(columns)), ys, color=plt.cm.viridis_r(color(row[metric])))
for i, col in enumerate(columns):
    lo, hi = (10**v if is_log.get(col) else v for v in scale[col])
    ax.axvline(i, color="0.3", linewidth=0.8)
    label = {"textcoords": "offset points", "ha": "center"}
    ax.annotate(f"{lo:.3g}", (i, 0), xytext=(0, -10), va="top", **label)
    ax.annotate(f"{hi:.3g}", (i, 1), xytext=(0, 4), va="bottom", **label)
ax.set_xticks(range(len(columns)), columns)
ax.tick_params(axis="x", pad=16, length=0)
ax.set_yticks([])
ax.set_ylim(-0.05, 1.12)
fig.colorbar(plt.cm.ScalarMappable(color, "viridis_r"), ax=ax, label=f"{metric} (final)")
fig.savefig("parallel_coordinates.svg", **SVG)

# 3. El mejor valor hasta ahora, run tras run
best_so_far = [min(losses[: n + 1]) for n in range(len(losses))]
numbers = range(1, len(losses) + 1)
fig, ax = plt.subplots(figsize=(7.5, 2.6), layout="constrained")
ax.scatter(numbers, losses, s=14, color="tab:blue", label="cada run")
ax.step(numbers, best_so_far, where="post", color="tab:red", label="mejor hasta ahora")
ax.set_xlabel("run, en orden de creación")
ax.set_ylabel(f"{metric} (final)")
ax.set_xticks(numbers)
ax.legend()
fig.savefig("best_so_far.svg", **SVG)
print("Escritos metric_by_hyperparameter.svg, parallel_coordinates.svg, best_so_far.svg")
