"""`mike deploy` of a small two-language site built with this project's configuration, for
the version test (test_artifacts.py) and the readers' tests (test_readers.py).

The site: this repository's mkdocs.yml (without its nav), its MkDocs hooks and theme
(tools/docskit, tools/theme) and stylesheet, with a repository URL, and two pages per
language; the Spanish guide page was never accepted as a translation. It lives in a
throwaway git repository with one commit of a known date, and mike deploys it as version
VERSION with the alias `latest`, made the default. One deploy serves both tests: a second
MkDocs build of the whole site would check nothing more about versions (the site itself is
built and crawled by the session), so conftest.py starts this one in a background thread as
soon as the session knows a test needs it.
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

import yaml

import mkdocs_config
from server import SiteServer

ROOT = Path(__file__).resolve().parents[2]
VERSION = "1.0"
REPO_URL = "https://git.example.org/team/sweeps-guide"  # not GitHub: Material fetches nothing for it
DAY = "2026-03-05"  # the small site's only commit
GIT_ENV = {
    "GIT_AUTHOR_NAME": "docs", "GIT_AUTHOR_EMAIL": "docs@example.invalid",
    "GIT_COMMITTER_NAME": "docs", "GIT_COMMITTER_EMAIL": "docs@example.invalid",
    "GIT_AUTHOR_DATE": f"{DAY}T12:00:00+00:00", "GIT_COMMITTER_DATE": f"{DAY}T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
PAGES = {
    "en/index.md": "# Home\n\nA small site.\n",
    "es/index.md": "# Inicio\n\nUn sitio pequeño.\n",
    "en/guides/page.md": "# Guide page\n\nText.\n",
    "es/guides/page.md": "# Página de guía\n\nTexto.\n",
}


class DeployFailed(AssertionError):
    pass


def _run(cmd, cwd, env=None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise DeployFailed(f"{' '.join(map(str, cmd))}:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def _project(repo: Path, site_url: str) -> None:
    config = mkdocs_config.load()
    config.pop("nav")
    config.update(site_url=site_url, repo_url=REPO_URL, exclude_docs="")
    (repo / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for folder in ("docskit", "theme"):
        shutil.copytree(ROOT / "tools" / folder, repo / "tools" / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs" / "assets", repo / "docs" / "assets")
    (repo / "snippets").mkdir()  # mkdocs.yml watches it; this site shows no listing
    for name, text in PAGES.items():
        (repo / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / "docs" / name).write_text(text, encoding="utf-8")


def deploy(workdir: Path) -> dict:
    """Make the small site in `workdir`/repo (a fresh git repository), `mike deploy` version
    VERSION with the alias `latest`, make `latest` the default, and unpack the gh-pages branch
    into `workdir`/gh-pages. Returns the server bound for it (its port is the deploy's
    site_url; not serving yet), the branch's files and its versions.json."""
    repo = workdir / "repo"
    repo.mkdir()
    server = SiteServer()  # bound first: its origin is the site_url of the deploy
    bindir = Path(sys.executable).parent
    env = {**os.environ, **GIT_ENV, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("SITE_REPO_URL", None)
    try:
        _project(repo, server.origin + "/")
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "docs"]):
            _run(["git", *args], repo, env)
        mike = shutil.which("mike", path=env["PATH"])
        if not mike:
            raise DeployFailed("the `mike` command is not installed (noxfile.py: BROWSER)")
        _run([mike, "deploy", "--branch", "gh-pages", "--update-aliases", VERSION, "latest"], repo, env)
        _run([mike, "set-default", "--branch", "gh-pages", "latest"], repo, env)
        files = set(_run(["git", "ls-tree", "-r", "--name-only", "gh-pages"], repo, env).split())
        versions = json.loads(_run(["git", "show", "gh-pages:versions.json"], repo, env))
        tree = workdir / "gh-pages"
        tree.mkdir()
        archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, env=env, capture_output=True, check=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(tree)
    except BaseException:
        server.close()
        raise
    return {"server": server, "files": files, "versions": versions, "tree": tree}
