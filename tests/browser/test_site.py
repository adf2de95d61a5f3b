"""Every page, both languages, both colour schemes: privacy, console, links, accessibility."""

from __future__ import annotations

from checks import dead_links, describe_violations, line_number_problems, sitemap_paths


def test_crawl_covers_both_languages(crawl):
    """The crawl reaches every page of the nav in both languages, and each page says its language."""
    pages = crawl.html_pages()
    en = [p for p in pages if not p.path.startswith("/es/")]
    es = [p for p in pages if p.path.startswith("/es/")]
    assert len(en) >= 3 and len(es) >= 3, [p.path for p in pages]
    wrong_lang = [f"{p.path}: <html lang={p.lang!r}>" for p in pages if p.lang != ("es" if p in es else "en")]
    assert not wrong_lang, "\n".join(wrong_lang)
    # every English page has its Spanish twin, and the other way round
    en_paths = {p.path for p in en}
    es_paths = {p.path[len("/es"):] for p in es}
    assert en_paths == es_paths, f"only in English: {sorted(en_paths - es_paths)}; only in Spanish: {sorted(es_paths - en_paths)}"


def test_no_request_leaves_the_site(crawl, crawl_dark):
    """No page, in either scheme, makes a request to another host than 127.0.0.1:<port>
    (the browser never sends one: checks.BLOCK_OTHER_HOSTS; the recorder lists them). The
    crawl loads each page once and switches it to dark, so its requests are counted in `crawl`."""
    assert crawl.requests > 0
    offhost = crawl.offhost + crawl_dark.offhost
    assert not offhost, "requests to another host:\n" + "\n".join(offhost)


def test_sitemap_lists_only_pages_that_exist(crawl):
    paths = sitemap_paths(crawl.origin)
    missing = [p for p in paths if p not in crawl.pages or crawl.pages[p].status != 200]
    assert paths and not missing, f"sitemap.xml lists pages the build does not have: {missing}"
    unlisted = [p.path for p in crawl.html_pages() if p.path not in paths]
    assert not unlisted, f"pages missing from sitemap.xml: {unlisted}"


def test_no_console_error(crawl, crawl_dark):
    """In either scheme, no page logs an error, and every page settles: the requests it
    makes after `load` (search index, search worker) all succeed (checks.WATCH_PAGE)."""
    errors = []
    for c in (crawl, crawl_dark):
        for p in c.html_pages():
            errors += [f"{p.path} [{c.scheme}]: {msg}" for msg in p.console_errors]
            if p.settled != "ready":
                errors.append(f"{p.path} [{c.scheme}]: did not settle: {p.settled}")
    assert not errors, "console errors:\n" + "\n".join(errors)


def test_no_dead_internal_link_or_anchor(crawl):
    problems = dead_links(crawl)
    assert not problems, f"{len(problems)} dead links:\n" + "\n".join(problems)


def test_accessibility_light(crawl):
    found = [line for p in crawl.html_pages() for line in describe_violations(p.path, "light", p.violations)]
    assert not found, "axe-core, serious or critical:\n" + "\n".join(found)


def test_accessibility_dark(crawl_dark):
    not_dark = [p.path for p in crawl_dark.html_pages() if p.scheme != "slate"]
    assert not not_dark, f"pages not in the dark scheme although the browser prefers dark: {not_dark}"
    found = [line for p in crawl_dark.html_pages() for line in describe_violations(p.path, "dark", p.violations)]
    assert not found, "axe-core, serious or critical:\n" + "\n".join(found)


def test_code_text_and_line_numbers_are_legible_and_plain_tokens_look_plain(crawl, crawl_dark):
    """What axe-core does not check in code blocks, on every page in both schemes: every
    colour of code text reaches 4.5:1 against the backgrounds under it (checks.RUN_AXE leaves
    the code out of axe's contrast rule, which costs most there); line numbers (drawn by CSS)
    reach 4.5:1 against their background, highlighted lines included, and are 24 x 24 px
    targets at least (axe's target-size rule counts a link in a line of text as inline, and
    skips it); a token whose <span> docskit drops has the colour of the code around it."""
    problems, numbers, texts = [], 0, 0
    for c in (crawl, crawl_dark):
        for p in c.html_pages():
            numbers += len(p.code.get("numbers", []))
            texts += len(p.code.get("texts", []))
            problems += line_number_problems(p.path, c.scheme, p.code)
    assert numbers > 0, "no line number seen on any page"
    assert texts > 0, "no code text seen on any page"
    assert not problems, "\n".join(problems)
