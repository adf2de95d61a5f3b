"""Real side: what a run logged, read from its offline transaction log.

wandb 0.31 offline writes no config.yaml or wandb-summary.json: `wandb/offline-run-*/files/`
holds only requirements.txt and output.log. Everything the run recorded is in
`offline-run-<time>-<id>/run-<id>.wandb`, a LevelDB-style log (a 7-byte header ":W&B",
0xBEE1, version 0; then 32 KiB blocks of records, each with a 7-byte header: CRC32,
length, type FULL/FIRST/MIDDLE/LAST) of `wandb_internal_pb2.Record` protobufs, the
format `wandb sync` uploads. The run's config is the `run` record's config plus every
later `config` record; its summary the `summary` records in order; its history the
`history` records; its exit code the `exit` record's.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

BLOCK = 32 * 1024
HEADER = b":W&B"
FULL, FIRST, MIDDLE, LAST = 1, 2, 3, 4


def records(path: Path):
    """The serialized records of a transaction log, in order."""
    data = path.read_bytes()
    if data[:4] != HEADER:
        raise ValueError(f"{path}: not a W&B transaction log (header {data[:7]!r})")
    pos, pending = 7, b""
    while pos + 7 <= len(data):
        left = BLOCK - pos % BLOCK
        if left < 7:  # a block's tail too short for a record header is padding
            pos += left
            continue
        _crc, length, kind = struct.unpack("<IHB", data[pos : pos + 7])
        if kind == 0 and length == 0:  # zero padding up to the next block
            pos += left
            continue
        chunk = data[pos + 7 : pos + 7 + length]
        pos += 7 + length
        if kind == FULL:
            yield chunk
        elif kind == FIRST:
            pending = chunk
        elif kind == MIDDLE:
            pending += chunk
        elif kind == LAST:
            yield pending + chunk
            pending = b""


def _key(item) -> list[str]:
    return list(item.nested_key) or [item.key]


def _set(target: dict, keys: list[str], value) -> None:
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value


def _remove(target: dict, keys: list[str]) -> None:
    for key in keys[:-1]:
        target = target.get(key, {})
    target.pop(keys[-1], None)


def read_run(path: Path) -> dict:
    """{"id", "config", "summary", "history", "exit_code"} of one offline run's log."""
    from wandb.proto import wandb_internal_pb2 as pb

    run: dict = {"id": None, "config": {}, "summary": {}, "history": [], "exit_code": None}
    for raw in records(path):
        record = pb.Record()
        record.ParseFromString(raw)
        kind = record.WhichOneof("record_type")
        if kind == "run":
            run["id"] = record.run.run_id
            for item in record.run.config.update:
                _set(run["config"], _key(item), json.loads(item.value_json))
        elif kind == "config":
            for item in record.config.update:
                _set(run["config"], _key(item), json.loads(item.value_json))
            for item in record.config.remove:
                _remove(run["config"], _key(item))
        elif kind == "summary":
            for item in record.summary.update:
                _set(run["summary"], _key(item), json.loads(item.value_json))
            for item in record.summary.remove:
                _remove(run["summary"], _key(item))
        elif kind == "history":
            row: dict = {}
            for item in record.history.item:
                _set(row, _key(item), json.loads(item.value_json))
            run["history"].append(row)
        elif kind == "exit":
            run["exit_code"] = record.exit.exit_code
    return run


def offline_runs(folder: Path) -> dict[str, dict]:
    """Every offline run under folder/wandb/, by run id."""
    runs = {}
    for log in sorted(folder.glob("wandb/offline-run-*/run-*.wandb")):
        run = read_run(log)
        runs[run["id"]] = run
    return runs
