"""The link crawler used by test_site_output, checked on small hand-made sites:
it must find broken links, or the site tests would prove nothing."""

from __future__ import annotations

from pathlib import Path

from crawl import crawl, fetch, page_urls, serve


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def page(body: str, up: str = "") -> str:
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>t</title>'
        f'<link rel="stylesheet" href="{up}static/style.css"></head><body>{body}</body></html>'
    )


def make_site(root: Path, base_url: str) -> None:
    write(
        root,
        "index.html",
        page(
            '<a href="a/">a</a> <a href="a/#top">a again</a> <a href="#top">top</a>'
            ' <a href="missing.html">missing</a> <a href="/elsewhere/">outside</a>'
            ' <a href="mailto:x@example.org">mail</a> <a href="https://example.org/">ext</a>'
            ' <img src="img/pic.png" alt=""> <a href="a">no slash</a>'
        ),
    )
    write(root, "static/style.css", "body{}")
    write(root, "img/pic.png", "png")
    write(
        root,
        "a/index.html",
        '<!doctype html><a href="../">home</a> <a href="../gone/">gone</a>'
        ' <link rel="alternate" type="application/atom+xml" href="../atom.xml">',
    )
    write(
        root,
        "atom.xml",
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:x,2024:feed</id>'
        f'<link href="{base_url}atom.xml" rel="self"/>'
        f'<entry><id>tag:x,2024:1</id><link href="{base_url}a/"/></entry>'
        f'<entry><id>tag:x,2024:2</id><link href="{base_url}feed-only/"/></entry></feed>',
    )
    write(
        root,
        "sitemap.xml",
        '<?xml version="1.0" encoding="utf-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base_url}</loc></url><url><loc>{base_url}a/</loc></url>"
        f"<url><loc>{base_url}sitemap-only.html</loc></url></urlset>",
    )
    write(root, "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n")


def test_crawler_reports_broken_links_under_a_subpath(tmp_path: Path) -> None:
    with serve(tmp_path, "/revue/") as base:
        make_site(tmp_path, base)
        result = crawl([base, base + "robots.txt"], base)
    host = base[: -len("revue/")]
    broken = {(link.url, str(link.status), link.found_on) for link in result.broken}
    assert broken == {
        (base + "missing.html", "404", base),
        (host + "elsewhere/", "404", base),
        (base + "a", f"301 to {base[len(host) - 1 :]}a/", base),
        (base + "gone/", "404", base + "a/"),
        (base + "feed-only/", "404", base + "atom.xml"),
        (base + "sitemap-only.html", "404", base + "sitemap.xml"),
    }
    assert result.statuses[base + "a/"] == 200
    assert result.statuses[base + "img/pic.png"] == 200
    assert result.statuses[base + "static/style.css"] == 200
    assert result.html_pages == {base, base + "a/"}
    assert not any("example.org" in url for url in result.statuses)
    report = result.report()
    assert f"{base}missing.html -> 404, linked from {base}" in report


def test_crawler_passes_a_sound_site_at_the_root(tmp_path: Path) -> None:
    with serve(tmp_path, "/") as base:
        write(tmp_path, "index.html", page('<a href="a/">a</a><a href="/a/#x">a</a>'))
        write(tmp_path, "static/style.css", "body{}")
        write(tmp_path, "a/index.html", page('<a href="../">home</a>', up="../"))
        result = crawl([base], base)
    assert not result.broken, result.report()
    assert result.html_pages == {base, base + "a/"}


def test_server_serves_only_under_its_prefix(tmp_path: Path) -> None:
    write(tmp_path, "index.html", page(""))
    (tmp_path.parent / "secret.txt").write_text("no", encoding="utf-8")
    with serve(tmp_path, "/revue/") as base:
        host = base[: -len("revue/")]
        assert fetch(base)[0] == 200
        assert fetch(base + "index.html")[0] == 200
        assert fetch(host)[0] == 404
        assert fetch(host + "index.html")[0] == 404
        assert fetch(base + "../secret.txt")[0] == 404
        assert fetch(base + "%2e%2e/secret.txt")[0] == 404


def test_page_urls_map_index_pages_to_folders(tmp_path: Path) -> None:
    for name in ("index.html", "404.html", "a/index.html", "a/b/index.html", "x.html"):
        write(tmp_path, name, "")
    base = "https://example.org/revue/"
    assert page_urls(tmp_path, base) == {
        base,
        base + "a/",
        base + "a/b/",
        base + "x.html",
    }
