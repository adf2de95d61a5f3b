"""mkdocs.yml as a build without SITE_* variables reads it (for tests that take options from it)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


class _Loader(yaml.SafeLoader):
    pass


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    """`!ENV NAME` (None when unset) or `!ENV [NAME, default]`: the value a build without
    those variables gets."""
    return loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None


_Loader.add_constructor("!ENV", _env)


def load(path: Path = ROOT / "mkdocs.yml") -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
