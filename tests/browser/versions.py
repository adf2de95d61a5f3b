"""`mike deploy` of this repository into a throwaway one, for test_artifacts.py's version test.

It is a second MkDocs build (mike runs its own), so conftest.py starts it in a background
thread as soon as the session knows the test will run: it then builds on the second core
while the session builds the site it serves and starts the crawl, instead of afterwards.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from server import SiteServer

ROOT = Path(__file__).resolve().parents[2]
VERSION = "1.0"


class DeployFailed(AssertionError):
    pass


def _run(cmd, cwd, env=None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise DeployFailed(f"{' '.join(map(str, cmd))}:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def deploy(workdir: Path) -> dict:
    """Copy the repository into `workdir`/repo (a fresh git repository), `mike deploy` version
    VERSION with the alias `latest`, make `latest` the default, and unpack the gh-pages branch
    into `workdir`/gh-pages. Returns the server bound for it (its port is the deploy's
    site_url; not serving yet), the branch's files and its versions.json."""
    repo = workdir / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", "site", "build", ".nox", "__pycache__", "*.egg-info", "node_modules"))
    git = ["git", "-c", "user.name=docs", "-c", "user.email=docs@example.invalid"]
    _run(["git", "init", "-q", "-b", "main"], repo)
    _run(git + ["add", "-A"], repo)
    _run(git + ["commit", "-q", "-m", "docs"], repo)
    server = SiteServer()  # bound first: its origin is the site_url of the deploy
    bindir = Path(sys.executable).parent
    env = {
        **os.environ,
        "SITE_URL": server.origin + "/",
        "NO_MKDOCS_2_WARNING": "1",
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "GIT_AUTHOR_NAME": "docs", "GIT_AUTHOR_EMAIL": "docs@example.invalid",
        "GIT_COMMITTER_NAME": "docs", "GIT_COMMITTER_EMAIL": "docs@example.invalid",
    }
    mike = shutil.which("mike", path=env["PATH"])
    if not mike:
        raise DeployFailed("the `mike` command is not installed (noxfile.py: BROWSER)")
    try:
        _run([mike, "deploy", "--branch", "gh-pages", "--update-aliases", VERSION, "latest"], repo, env)
        _run([mike, "set-default", "--branch", "gh-pages", "latest"], repo, env)
        files = set(_run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], repo).split())
        versions = json.loads(_run(["git", "show", "gh-pages:versions.json"], repo))
        tree = workdir / "gh-pages"
        tree.mkdir()
        archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(tree)
    except BaseException:
        server.close()
        raise
    return {"server": server, "files": files, "versions": versions, "tree": tree}
