"""Mock side: print, as JSON, the sweeps and runs a listing left in the mock's store
($WANDB_DIR/wandb/mock-store.sqlite), in creation order. Run with the mock's Python."""

from __future__ import annotations

import json
import os

from wandb import _settings, _store

if os.path.exists(_settings.store_path()):
    conn = _store.connect()
    sweeps = [_store._row(r) for r in conn.execute("SELECT * FROM sweeps ORDER BY seq")]
    runs = [_store._row(r) for r in conn.execute("SELECT * FROM runs ORDER BY seq")]
else:
    sweeps, runs = [], []
print(json.dumps({"sweeps": sweeps, "runs": runs}, default=str))
