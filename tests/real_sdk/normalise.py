"""The named normalisations applied before a real output is compared with the mock's.

Each one is a function listed in NORMALISATIONS with what it does and why; compare.py
applies them and the report names them. Nothing else is ignored: any other line that
differs is a difference.
"""

from __future__ import annotations

import re

WANDB = "wandb: "

# --- the real SDK's offline run header and footer ---------------------------------------------
# Printed by every offline run (wandb/sdk/wandb_run.py: _header, _footer; 0.31); they depend on
# the mode (online they name URLs instead), carry times and paths, and the mock prints no run
# header or footer at all (README: the mock's deliberate differences).
BANNER = [
    re.compile(r"^wandb: Tracking run with wandb version \S+$"),
    re.compile(r"^wandb: W&B syncing is set to `offline` in this directory\. Run `wandb online` or set WANDB_MODE=online to enable cloud syncing\.$"),
    re.compile(r"^wandb: Run data is saved locally in \S+$"),
    re.compile(r"^wandb: View this run in the terminal with `wandb leet`$"),
    re.compile(r"^wandb: You can sync this run to the cloud by running:$"),
    re.compile(r"^wandb: wandb sync \S+$"),
    re.compile(r"^wandb: Find logs at: \S+$"),
]
FOOTER_BLOCKS = ("wandb: Run history:", "wandb: Run summary:")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def offline_banner(text: str) -> str:
    """Drop the real SDK's offline run header and footer, on stderr, or on stdout (in colour)
    where 0.31 prints the footer of a run ended by an uncaught exception: the `Run history:`
    and `Run summary:` blocks (the logged values are compared from the run's log instead),
    the sync hint, the log folder and the empty `wandb:` lines between them."""
    out, in_block = [], False
    for line in text.splitlines(keepends=True):
        bare = ANSI.sub("", line.rstrip("\n"))
        if bare in FOOTER_BLOCKS:
            in_block = True
            continue
        if in_block:
            if bare.rstrip() == "wandb:":
                in_block = False
            continue
        if bare.rstrip() == "wandb:" or any(p.match(bare) for p in BANNER):
            continue
        out.append(line)
    return "".join(out)


def sweep_url(text: str) -> str:
    """Drop the `Sweep URL: ...` line the real wandb.sweep prints after the sweep's ID (the
    mock prints no URLs: README, deliberate differences)."""
    return "".join(l for l in text.splitlines(keepends=True) if not l.startswith("Sweep URL: "))


CREDENTIALS = re.compile(r"^wandb: \[[\w.()]+\] Loaded credentials for \S+ from .+\.$")


def credentials(text: str) -> str:
    """Drop `wandb: [wandb.login()] Loaded credentials for <host> from <source>.`, which the
    real SDK prints once per process where it first needs an API key (wandb.sweep,
    wandb.agent): its host and source depend on where the reader keeps the key (here the
    made-up WANDB_API_KEY of compare.py); the mock has no credentials and prints no login lines."""
    return "".join(l for l in text.splitlines(keepends=True) if not CREDENTIALS.match(l.rstrip("\n")))


MOCK_ONLY = re.compile(r"^wandb: WARNING \(mock\) ")


def mock_only(text: str) -> str:
    """Drop the mock's own warnings, marked `(mock)` (README: a sweep run that finished
    without a numeric value for the sweep's metric); the real SDK has no such line."""
    return "".join(l for l in text.splitlines(keepends=True) if not MOCK_ONLY.match(l))


PACING = {"wandb: Sweep Agent: Waiting for job.", "wandb: Sweep Agent: Exiting."}


def agent_pacing(text: str) -> str:
    """Drop `Sweep Agent: Waiting for job.` and `Sweep Agent: Exiting.`: the real wandb.agent
    prints them from its queue loop when the server says there is nothing left, which the
    real side's driver does not reproduce (hooks/sitecustomize.py: _drive_function_agent)."""
    return "".join(l for l in text.splitlines(keepends=True) if l.rstrip("\n") not in PACING)


CLI_AGENT = re.compile(r"^wandb: (Starting wandb agent|Agent Starting Run: |\t)")


def cli_agent_lines(text: str) -> str:
    """Drop the lines of the mock's `wandb agent` process itself (`Starting wandb agent`,
    `Agent Starting Run: ...` and its parameter lines): the real CLI agent logs its trials
    through a Python logger with timestamps (README: deliberate difference), and the real
    side starts the trials without an agent process (cli_trials.py)."""
    return "".join(l for l in text.splitlines(keepends=True) if not CLI_AGENT.match(l))


FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<fn>.+)$')
CARETS = re.compile(r"^\s*[~^]+\s*$")


def library_frames(text: str, listing_dir: str) -> str:
    """In tracebacks, keep the frames of the listing's own files (as `File "<name>"`, without
    the folder) and drop the others (the SDK's, runpy's: they differ between the mock and
    the real SDK by construction), with their source lines and caret markers. The header,
    the exception lines and the chaining sentences stay."""
    out: list[str] = []
    lines = text.splitlines(keepends=True)
    i = 0
    folder = listing_dir.rstrip("/") + "/"
    while i < len(lines):
        m = FRAME.match(lines[i].rstrip("\n"))
        if not m:
            out.append(lines[i])
            i += 1
            continue
        own = m["file"].startswith(folder)
        j = i + 1
        while j < len(lines) and lines[j].startswith("    "):
            j += 1  # the frame's source line and its caret line
        if own:
            name = m["file"][len(folder):]
            out.append(f'  File "{name}", line {m["line"]}, in {m["fn"]}\n')
            out.extend(l for l in lines[i + 1 : j] if not CARETS.match(l))
        i = j
    return "".join(out)


def run_ids(text: str, mapping: dict[str, str]) -> str:
    """Replace the real SDK's run ids (random) by the ids of the mock's runs they correspond to
    (the same wandb.init call; sweep trials already share the mock's id)."""
    for real, mock in mapping.items():
        if real != mock:
            text = re.sub(rf"\b{re.escape(real)}\b", mock, text)
    return text


def folders(text: str, folder: str) -> str:
    """Replace the listing's temporary folder by `<folder>` (each side runs in a copy of its own)."""
    return text.replace(folder.rstrip("/"), "<folder>")


NORMALISATIONS = {
    "offline-banner": offline_banner.__doc__,
    "sweep-url": sweep_url.__doc__,
    "credentials": credentials.__doc__,
    "mock-only": mock_only.__doc__,
    "agent-pacing": agent_pacing.__doc__,
    "cli-agent-lines": cli_agent_lines.__doc__,
    "library-frames": library_frames.__doc__,
    "run-ids": run_ids.__doc__,
    "folders": folders.__doc__,
}
