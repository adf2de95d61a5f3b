"""Run this project's nox with whatever `python3` the machine has (3.10 to 3.14).

    python3 noxw.py -s serve     # build the site and serve it, reloading on edits
    python3 noxw.py              # the whole gate
    python3 noxw.py -s tests -- -k sweep -n 0

`pip install nox` fails on a stock Debian 12 or Ubuntu 24.04 (PEP 668: the system Python
is "externally managed"), so this script needs nothing but the standard library: on first
use it makes a virtual environment of the running interpreter in .nox/_noxw (ignored by
git), installs the pinned nox and uv into it, and from then on runs nox from there with
the arguments given. The sessions' own environments are made by nox from the same
interpreter (noxfile.py does not ask for a particular Python version).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

REQUIREMENTS = ["nox==2026.10.20", "uv==0.13.9"]
ROOT = Path(__file__).resolve().parent
ENV = ROOT / ".nox" / "_noxw"
STAMP = ENV / "noxw-requirements.txt"
SUPPORTED = ((3, 10), (3, 14))


def env_python() -> Path:
    return ENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def fail(message: str) -> None:
    print(f"noxw: {message}", file=sys.stderr)
    sys.exit(2)


def install() -> None:
    """Make the environment and install REQUIREMENTS into it, with or without ensurepip."""
    try:
        import ensurepip  # noqa: F401  (Debian ships it in python3-venv)

        with_pip = True
    except ImportError:
        with_pip = False
    print(f"noxw: setting up {ENV.relative_to(ROOT)} with {' '.join(REQUIREMENTS)}", file=sys.stderr)
    venv.EnvBuilder(with_pip=with_pip, clear=True, symlinks=os.name != "nt").create(ENV)
    if with_pip:
        cmd = [str(env_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS]
    else:
        # No ensurepip (Debian without python3-venv): let the system's pip (22.3 or newer)
        # install into the new environment, which is not externally managed.
        cmd = [sys.executable, "-m", "pip", "--python", str(env_python()), "install", "--quiet",
               "--disable-pip-version-check", *REQUIREMENTS]
    if subprocess.run(cmd).returncode != 0:
        fail(
            "could not install nox and uv into the environment "
            + ("(pip failed, see above)" if with_pip else
               "(this Python has no ensurepip and its pip could not install into a virtual environment: "
               "on Debian/Ubuntu run `apt-get install python3-venv`, then try again)")
        )
    STAMP.write_text("\n".join([sys.executable, *REQUIREMENTS]) + "\n", encoding="utf-8")


def main() -> None:
    if not SUPPORTED[0] <= sys.version_info[:2] <= SUPPORTED[1]:
        fail(f"Python {sys.version.split()[0]} is not supported; use 3.10 to 3.14")
    wanted = "\n".join([sys.executable, *REQUIREMENTS]) + "\n"
    if not (env_python().exists() and STAMP.exists() and STAMP.read_text(encoding="utf-8") == wanted):
        install()
    os.chdir(ROOT)
    args = [str(env_python()), "-m", "nox", *sys.argv[1:]]
    if os.name == "nt":
        sys.exit(subprocess.run(args).returncode)
    os.execv(args[0], args)


if __name__ == "__main__":
    main()
