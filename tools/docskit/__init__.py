"""docskit: the machinery that ties the pages in docs/ to the files in snippets/.

- listings.py  reads each page's listings.yml and resolves callout targets to line numbers;
- pages.py     rewrites a page's listing directives and callouts into Markdown (build time);
- hook.py      plugs pages.py into MkDocs (mkdocs.yml: hooks);
- pairs.py     checks that an English snippet and its Spanish twin line up;
- glossary.py  checks Spanish prose against docs/glossary.yml;
- drift.py     detects Spanish pages translated from an older English page;
- notebooks.py generates the Jupyter notebooks from their snippets;
- reference.py renders API signatures and CLI usage from the mock SDK's code.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
LANGS = ("en", "es")
DEFAULT_LANG = "en"
