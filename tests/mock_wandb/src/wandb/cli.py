"""The ``wandb`` command: ``wandb sweep``, ``wandb agent``, ``wandb controller`` (plus ``login``).

Same options and output lines as the real click CLI (wandb/cli/cli.py, 0.31)
for this subset; built on argparse, so ``--help`` text differs.  Errors that
the real CLI turns into a click error (any ``wandb.Error``) print
``Error: <message>`` and exit with status 1, as click does.  The real CLI's
extra ``View sweep at: <url>`` and ``Find detailed error logs at: <path>``
lines are not printed (offline there is no URL and no debug log).
"""

from __future__ import annotations

import argparse
import os
import sys

from wandb import __version__


def _fail(message: str) -> int:
    sys.stderr.write(f"Error: {message}\n")
    return 1


def _cmd_sweep(args: argparse.Namespace) -> int:
    import yaml

    from wandb import _settings, _store
    from wandb._sweep import parse_sweep_id, upsert_sweep
    from wandb._term import termerror, termlog
    from wandb.errors import Error

    states = [s for s in ("stop", "cancel", "pause", "resume") if getattr(args, s)]
    if len(states) > 1:
        return _fail("Only one state flag (stop/cancel/pause/resume) is allowed.")
    if states:
        parts = dict(entity=args.entity, project=args.project, name=args.config_yaml_or_sweep_id)
        err = parse_sweep_id(parts)
        if err:
            termerror(err)
            return 0
        sweep_id = parts["name"]
        row = _store.get_sweep(sweep_id)
        if row is None:
            return _fail(f"Could not find sweep {sweep_id}")
        ings = {"stop": "Stopping", "cancel": "Cancelling", "pause": "Pausing", "resume": "Resuming"}
        state = states[0]
        termlog(f"{ings[state]} sweep {row['entity']}/{row['project']}/{sweep_id}")
        new_state = {"stop": "FINISHED", "cancel": "CANCELED", "pause": "PAUSED", "resume": "RUNNING"}[state]
        _store.set_sweep_state(sweep_id, new_state)
        termlog("Done.")
        return 0

    config_yaml = args.config_yaml_or_sweep_id
    action = "Updating" if args.update else "Creating"
    termlog(f"{action} sweep from: {config_yaml}")
    try:
        with open(config_yaml) as f:
            try:
                config = yaml.safe_load(f)
            except yaml.YAMLError as err:
                termerror(f"Error in configuration file: {err}")
                return 1
    except OSError:
        termerror(f"Couldn't open sweep file: {config_yaml}")
        return 1
    if not config:
        termerror("Configuration file is empty")
        return 1
    if args.name:
        config["name"] = args.name
    if args.program:
        config["program"] = args.program
    if args.controller:
        config.setdefault("controller", {})
        config["controller"]["type"] = "local"
    if isinstance(config.get("controller"), dict) and config["controller"].get("type") == "local":
        from wandb import controller as wandb_controller

        tuner = wandb_controller()
        err = tuner._validate(config)
        if err:
            termerror(f"Error in sweep file: {err}")
            return 0

    env = os.environ
    entity = args.entity or env.get("WANDB_ENTITY") or config.get("entity") or _settings.default_entity()
    project = args.project or env.get("WANDB_PROJECT") or config.get("project") or _settings.default_project()
    try:
        if args.update:
            return _update_sweep(args.update, config)
        sweep_id = upsert_sweep(config, entity, project)
        if args.prior_runs:
            from wandb._sweep import _attach_prior_runs

            _attach_prior_runs(sweep_id, args.prior_runs)
    except Error as e:
        return _fail(str(e))
    termlog(f"{action} sweep with ID: {sweep_id}")
    sweep_path = f"{entity}/{project}/{sweep_id}"
    if sweep_path.find(" ") >= 0:
        sweep_path = f"{sweep_path!r}"
    termlog(f"Run sweep agent with: wandb agent {sweep_path}")
    if args.controller:
        termlog("Starting wandb controller...")
        # Like the real _upsert_sweep: the sweep's entity and project become this
        # process's defaults, where the controller looks the sweep up.
        os.environ["WANDB_ENTITY"] = entity
        os.environ["WANDB_PROJECT"] = project
        return _run_controller(sweep_id, args.verbose)
    return 0


def _run_controller(sweep_id: str, verbose: bool) -> int:
    from wandb import controller as wandb_controller
    from wandb.errors import Error

    # Like the real commands' display_error: a wandb.Error becomes "Error: ...", anything
    # else (a ControllerError such as "Can not find sweep") ends with its traceback.
    try:
        tuner = wandb_controller(sweep_id)
        tuner.run(verbose=verbose)
    except Error as e:
        return _fail(str(e))
    return 0


def _cmd_controller(args: argparse.Namespace) -> int:
    print("Starting wandb controller...", flush=True)  # noqa: T201  (click.echo: stdout, no prefix)
    return _run_controller(args.sweep_id, args.verbose)


def _update_sweep(path: str, config: dict) -> int:
    import json

    from wandb import _engine, _store
    from wandb._sweep import _validate_config_and_fill_distribution, handle_sweep_config_violations, parse_sweep_id
    from wandb._term import termerror, termlog

    parts = dict(entity=None, project=None, name=path)
    err = parse_sweep_id(parts)
    if err:
        termerror(err)
        return 0
    row = _store.get_sweep(parts["name"])
    if row is None:
        termerror(f"Could not find sweep {path}")
        return 0
    config = _validate_config_and_fill_distribution(config)
    warnings = _engine.schema_violations(config)
    with _store.transaction() as conn:
        conn.execute("UPDATE sweeps SET config = ? WHERE id = ?", (json.dumps(config), row["id"]))
    handle_sweep_config_violations(warnings)
    termlog(f"Updating sweep with ID: {row['id']}")
    termlog(f"Run sweep agent with: wandb agent {row['entity']}/{row['project']}/{row['id']}")
    return 0


def _cmd_agent(args: argparse.Namespace) -> int:
    from wandb._agent import run_cli_agent
    from wandb._term import termlog
    from wandb.errors import Error

    termlog("Starting wandb agent 🕵️")
    try:
        run_cli_agent(
            args.sweep_id,
            entity=args.entity,
            project=args.project,
            count=args.count,
            max_consecutive_failed_runs=args.max_consecutive_failed_runs,
        )
    except Error as e:
        return _fail(str(e))
    return 0


def _cmd_login(args: argparse.Namespace) -> int:
    from wandb._term import termlog

    termlog("Using W&B in offline mode (reference mock: there is no server to log in to).")
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not in the range x>=1.")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wandb", description="Reference mock of the W&B CLI (offline).")
    parser.add_argument("--version", action="version", version=f"wandb, version {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sweep = sub.add_parser("sweep", help="Create, update, or manage a hyperparameter sweep.")
    sweep.add_argument("--project", "-p", default=None)
    sweep.add_argument("--entity", "-e", default=None)
    sweep.add_argument("--controller", action="store_true")
    sweep.add_argument("--verbose", action="store_true")
    sweep.add_argument("--name", default=None)
    sweep.add_argument("--program", default=None)
    sweep.add_argument("--settings", default=None, help=argparse.SUPPRESS)
    sweep.add_argument("--update", default=None)
    for flag in ("stop", "cancel", "pause", "resume"):
        sweep.add_argument(f"--{flag}", action="store_true")
    sweep.add_argument("--prior_run", "-R", dest="prior_runs", action="append", default=None)
    sweep.add_argument("config_yaml_or_sweep_id")
    sweep.set_defaults(func=_cmd_sweep)

    agent = sub.add_parser("agent", help="Start a sweep agent.")
    agent.add_argument("--project", "-p", default=None)
    agent.add_argument("--entity", "-e", default=None)
    agent.add_argument("--count", default=None, type=int)
    agent.add_argument("--forward-signals", "-f", action="store_true")
    agent.add_argument("--term-timeout", "-t", default=None, type=int)
    agent.add_argument("--max-consecutive-failed-runs", default=None, type=_positive_int)
    agent.add_argument("sweep_id")
    agent.set_defaults(func=_cmd_agent)

    controller = sub.add_parser("controller", help="Start a local sweep controller for a sweep.")
    controller.add_argument("--verbose", action="store_true")
    controller.add_argument("sweep_id")
    controller.set_defaults(func=_cmd_controller)

    login = sub.add_parser("login", help="Accepted; the mock is always offline.")
    login.add_argument("key", nargs="?")
    login.add_argument("--relogin", action="store_true")
    login.add_argument("--host", default=None)
    login.add_argument("--anonymously", action="store_true")
    login.add_argument("--verify", action="store_true")
    login.set_defaults(func=_cmd_login)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
