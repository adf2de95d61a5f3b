"""The real-sdk session's own machinery, without the real SDK (it runs in the tests session):
every listing of every page gets a rule by convention, the named normalisations do what
they say, and the transaction-log framing reads records across blocks."""

from __future__ import annotations

import struct

from docskit.listings import Topic, all_topics
from real_sdk import normalise, txlog
from real_sdk.plan import REASONS, Plan, producer


def test_every_listing_of_every_page_has_a_known_rule():
    plan = Plan()
    for topic in all_topics():
        for key, listing in topic.listings.items():
            rule = plan.rule(topic, key)
            assert rule.kind in ("units", "as", "reason", "figure"), (topic.name, key)
            if rule.kind == "reason":
                assert rule.reason in REASONS and rule.reason != "unknown-kind", (topic.name, key, rule.reason)
            if rule.kind == "units":
                assert rule.units, (topic.name, key)
            if listing.lexer == "python" and rule.kind == "reason":
                assert rule.reason == "api-read", (topic.name, key)
    assert plan.units, "nothing would run on the real SDK"


def test_spanish_runs_wherever_a_page_shows_output():
    plan = Plan()
    for topic in all_topics():
        for key, listing in topic.listings.items():
            if listing.lexer == "text":
                rule = plan.rule(topic, key)
                while rule.kind == "as":
                    rule = plan.rule(topic, rule.other)
                for unit in rule.units if rule.kind == "units" else []:
                    assert "es" in unit.langs, (topic.name, key, unit.name)


def test_an_output_listing_shows_what_its_producer_printed():
    assert producer(Topic("guides/sweeps/add-w-and-b-to-your-code"), "original-output") == "original"
    assert producer(Topic("guides/sweeps/walkthrough"), "output") == "run"  # no prefix: the listing before


REAL_STDERR = """\
wandb: WARNING Ignoring project 'x' when running a sweep.
wandb: Tracking run with wandb version 0.31.0
wandb: W&B syncing is set to `offline` in this directory. Run `wandb online` or set WANDB_MODE=online to enable cloud syncing.
wandb: Run data is saved locally in /tmp/a/wandb/offline-run-20261204_174204-c7hntc3d
wandb: View this run in the terminal with `wandb leet`
wandb: \n\
wandb: Run history:
wandb:     loss █▃▁
wandb: \n\
wandb: Run summary:
wandb:     loss 0.33333
wandb: \n\
wandb: You can sync this run to the cloud by running:
wandb: wandb sync /tmp/a/wandb/offline-run-20261204_174204-c7hntc3d
wandb: Find logs at: ./wandb/offline-run-20261204_174204-c7hntc3d/logs
wandb: [wandb.login()] Loaded credentials for https://api.wandb.ai from WANDB_API_KEY.
"""


def test_the_offline_banner_and_the_credentials_line_go_and_nothing_else():
    kept = normalise.credentials(normalise.offline_banner(REAL_STDERR))
    assert kept == "wandb: WARNING Ignoring project 'x' when running a sweep.\n"
    coloured = "\x1b[1;34mwandb\x1b[0m: Find logs at: \x1b[1;35mwandb/offline-run-x/logs\x1b[0m\nprinted\n"
    assert normalise.offline_banner(coloured) == "printed\n"


def test_library_frames_keep_the_listings_own_frames():
    text = (
        "Traceback (most recent call last):\n"
        '  File "/tmp/x/listing/train.py", line 3, in <module>\n'
        "    wandb.config.update({'lr': 0.1})\n"
        "    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        '  File "/venv/site-packages/wandb/sdk/wandb_config.py", line 180, in update\n'
        "    sanitized = self._update(d, allow_val_change)\n"
        "wandb.sdk.lib.config_util.ConfigError: Attempted to change value of key\n"
    )
    assert normalise.library_frames(text, "/tmp/x/listing") == (
        "Traceback (most recent call last):\n"
        '  File "train.py", line 3, in <module>\n'
        "    wandb.config.update({'lr': 0.1})\n"
        "wandb.sdk.lib.config_util.ConfigError: Attempted to change value of key\n"
    )


def test_ids_agent_lines_and_mock_only_lines():
    assert normalise.run_ids("ID: ab12cd34 (ab12cd34x)", {"ab12cd34": "7m0vs6vp"}) == "ID: 7m0vs6vp (ab12cd34x)"
    agent = "wandb: Starting wandb agent 🕵️\nwandb: Agent Starting Run: a with config:\nwandb: \tlr: 0.1\nprinted\n"
    assert normalise.cli_agent_lines(agent) == "printed\n"
    assert normalise.mock_only("wandb: WARNING (mock) Run a finished without...\nkept\n") == "kept\n"
    assert normalise.agent_pacing("wandb: Sweep Agent: Waiting for job.\nwandb: Sweep Agent: Exiting.\n") == ""
    assert set(normalise.NORMALISATIONS) >= {"offline-banner", "library-frames", "run-ids", "folders"}


def test_transaction_log_records_across_blocks(tmp_path):
    def record(kind: int, payload: bytes) -> bytes:
        return struct.pack("<IHB", 0, len(payload), kind) + payload

    big = b"x" * (txlog.BLOCK)  # longer than a block: FIRST, then LAST in the next block
    head = b":W&B" + b"\xe1\xbe\x00"
    first_room = txlog.BLOCK - len(head) - len(record(txlog.FULL, b"one")) - 7  # the header is in block 0
    data = head + record(txlog.FULL, b"one") + record(txlog.FIRST, big[:first_room])
    assert len(data) == txlog.BLOCK
    data += record(txlog.LAST, big[first_room:]) + record(txlog.FULL, b"two")
    path = tmp_path / "run-x.wandb"
    path.write_bytes(data)
    assert list(txlog.records(path)) == [b"one", big, b"two"]
