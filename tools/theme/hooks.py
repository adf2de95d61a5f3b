"""MkDocs hooks of the theme override (mkdocs.yml: `hooks`).

- One 404 page per language. mkdocs-static-i18n builds every language into the same
  site folder, so the Spanish build would overwrite /404.html; its 404 page is written to
  /es/404.html instead (hosts that look for the nearest 404.html serve it under /es/).
- The version selector only when `mike deploy` builds the site (mike sets
  MIKE_DOCS_VERSION). Any other build (`nox -s docs`, `nox -s serve`, the browser tests)
  has no versions.json, and Material would request it on every page: a 404 and a console
  error each time.
"""

from __future__ import annotations

import os
from pathlib import Path


def on_config(config):
    if not os.environ.get("MIKE_DOCS_VERSION"):
        config.extra.pop("version", None)
    return config


def on_post_template(output, template_name, config):
    if template_name != "404.html":
        return output
    i18n = config.plugins.get("i18n")
    lang = getattr(i18n, "current_language", None)
    default = getattr(i18n, "default_language", None)
    if lang and default and lang != default:
        target = Path(config.site_dir) / lang / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
        return ""  # empty: MkDocs then leaves the default language's /404.html alone
    return output
