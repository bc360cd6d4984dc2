"""The build, new and check commands, run in-process on throwaway projects."""

from __future__ import annotations

import io
import re

import frontmatter

from revue.progress import Progress

BODY = """\
Depuis février, OpenAI présente Sora aux studios d’Hollywood. Des réunions ont eu lieu avec
Paramount et Universal. Le PDG a rencontré des agences de talents.

Un porte-parole a déclaré : « OpenAI a une stratégie de collaboration avec l’industrie du cinéma
et veut dialoguer avec les artistes ».
"""


def test_build_writes_the_pages_of_the_site(project, run_cli):
    project.article(
        "2024-03-22-sora-a-hollywood",
        "url: https://example.org/sora\n",
        BODY,
        title='"Sora à Hollywood : la tournée"',
        date="2024-03-22",
    )
    code, out, err = run_cli(project, "build")
    assert (code, err) == (0, "")
    # 13 pages with the search, outlet and people pages (the index and the one name the
    # article gives); 14 more files: those two pages, the favicon, the search script, the 9
    # files of the search index and its list of bundles (revue/search.py).
    assert out == "Built 1 articles into _site/ (13 pages, 33 files).\n"
    site = project.root / "_site"
    home = (site / "index.html").read_text()
    article = (site / "articles/sora-a-hollywood/index.html").read_text()
    assert '<html lang="fr">' in home
    assert 'href="articles/sora-a-hollywood/"' in home
    assert "Sora à Hollywood\u00a0: la tournée" in home
    assert '<time datetime="2024-03-22">22 mars 2024</time>' in home
    assert 'href="../../themes/demarchage-des-studios/"' in article
    assert '<a href="https://example.org/sora" rel="external">' in article
    assert (site / ".nojekyll").exists()
    assert (site / "archives/2024/03/index.html").exists()
    assert (site / "medias/le-monde/index.html").exists()


def test_home_groups_articles_by_theme_newest_first(project, run_cli):
    project.article(
        "2024-03-01-ancien", "themes: [competitors]\n", title="Ancien", date="2024-03-01"
    )
    project.article(
        "2024-03-20-recent",
        "themes: [competitors, labor-worries]\n",
        title="Récent",
        date="2024-03-20",
    )
    project.article("2024-02-mois", "themes: [competitors]\n", title="Février", date="2024-02")
    assert run_cli(project, "build")[0] == 0
    home = (project.root / "_site/index.html").read_text()
    competitors = home[home.index('id="concurrents"') :]
    titles = re.findall(r'class="entry-title"><a href="[^"]+">([^<]+)<', competitors)
    assert titles == ["Récent", "Ancien", "Février"]
    labor = home[home.index('id="inquietudes-des-metiers"') : home.index('id="concurrents"')]
    assert "Récent" in labor and "Ancien" not in labor
    assert "février 2024" in home


def test_full_text_is_off_by_default_and_on_per_article(project, run_cli):
    project.article(
        "secret",
        body="Premier paragraphe. Deuxième phrase.\n\n"
        "Un passage caché qui sert d’extrait parce qu’il est assez long pour cela.\n",
    )
    project.article("public", "full_text: true\n", body="Un texte **publié** en entier.\n")
    assert run_cli(project, "build")[0] == 0
    secret = (project.root / "_site/articles/secret/index.html").read_text()
    public = (project.root / "_site/articles/public/index.html").read_text()
    assert "Texte intégral" not in secret and "Un passage caché" in secret  # as the excerpt
    assert "Texte intégral" in public and "<strong>publié</strong>" in public


def test_404_page_uses_absolute_paths_under_the_base_url(project, run_cli):
    project.article("a")
    assert run_cli(project, "build", "--base-url", "https://user.github.io/revue")[0] == 0
    page = (project.root / "_site/404.html").read_text()
    assert 'href="/revue/archives/"' in page
    assert re.search(r'href="/revue/static/style\.[0-9a-f]{10}\.css"', page)
    sitemap = (project.root / "_site/sitemap.xml").read_text()
    assert "<loc>https://user.github.io/revue/articles/a/</loc>" in sitemap


def test_failed_build_reports_all_errors_and_keeps_the_previous_site(project, run_cli):
    project.article("bon")
    assert run_cli(project, "build")[0] == 0
    before = (project.root / "_site/index.html").read_bytes()
    project.article("mauvais1", "themes: [nope]\n")
    project.article("mauvais2", date="hier")
    code, out, err = run_cli(project, "build")
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "content/articles/mauvais1.md:5: unknown theme 'nope': known themes: "
        "studio-outreach, labor-worries, competitors",
        "content/articles/mauvais2.md:3: bad date: 'hier' is not a date: write YYYY-MM-DD "
        "(2024-03-25), YYYY-MM (2024-03) or an ISO datetime (2024-03-25T10:30:00+01:00)",
        "Build failed: 2 errors; nothing was written.",
    ]
    assert (project.root / "_site/index.html").read_bytes() == before


def test_template_error_names_the_template_line(project, run_cli):
    project.article("a")
    project.write(
        "templates/404.html",
        """
        {% extends "base.html" %}
        {% block main %}
        <p>{{ missing_variable }}</p>
        {% endblock %}
    """,
    )
    code, _, err = run_cli(project, "build")
    assert code == 1
    assert err.splitlines()[0] == (
        "templates/404.html:3: template error while rendering "
        "404.html: 'missing_variable' is undefined"
    )


def test_template_syntax_error_names_the_template_line(project, run_cli):
    project.article("a")
    project.write("templates/404.html", "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n")
    code, _, err = run_cli(project, "build")
    assert code == 1
    assert err.startswith("templates/404.html:3: template syntax error: ")


def test_extra_frontmatter_keys_reach_the_templates(project, run_cli):
    project.article("a", "tags: [ia, cinéma]\n")
    project.write(
        "templates/article.html",
        """
        {% extends "base.html" %}
        {% block main %}<h1>{{ entry.article.title }}</h1>
        <p>{{ entry.article.extra.tags|join(" / ") }}</p>{% endblock %}
    """,
    )
    assert run_cli(project, "build")[0] == 0
    assert "<p>ia / cinéma</p>" in (project.root / "_site/articles/a/index.html").read_text()


def test_templates_escape_pasted_html(project, run_cli):
    project.article(
        "a", body="<script>alert(1)</script> Un texte.\n", title="<img src=x onerror=alert(1)>"
    )
    assert run_cli(project, "build")[0] == 0
    for page in (project.root / "_site").rglob("*.html"):
        # The site's own scripts: JSON-LD (escaped by tojson) and the search page's module.
        text = re.sub(
            r'<script type="application/ld\+json">.*?</script>'
            r'|<script type="module" src="[./]*static/search\.[0-9a-f]+\.js"></script>',
            "",
            page.read_text(),
            flags=re.S,
        )
        assert "<script" not in text and "<img src=x" not in text, page


def test_new_writes_a_ready_to_fill_draft_and_never_overwrites(project, run_cli):
    code, out, _ = run_cli(project, "new", "L’IA à Hollywood !", "--date", "2024-03-25")
    path = project.root / "content/articles/2024-03-25-l-ia-a-hollywood.md"
    assert code == 0
    assert out == (
        "Created content/articles/2024-03-25-l-ia-a-hollywood.md: "
        "fill in the source, the url and the text.\n"
    )
    post = frontmatter.loads(path.read_text())
    assert post["title"] == "L’IA à Hollywood !"
    assert post["date"] == "2024-03-25"
    assert post["draft"] is True
    assert run_cli(project, "check")[0] == 0  # a fresh draft is valid
    path.write_text(path.read_text() + "Mon texte.\n")
    code, _, err = run_cli(project, "new", "L’IA à Hollywood !", "--date", "2024-03-25")
    assert code == 1
    assert err == (
        "content/articles/2024-03-25-l-ia-a-hollywood.md: already exists; "
        "pass --force to overwrite it\n"
    )
    assert path.read_text().endswith("Mon texte.\n")


def test_check_explain_prints_the_deciding_terms(project, run_cli):
    project.article("a", body=BODY)
    code, out, _ = run_cli(project, "check", "--explain")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "content/articles/a.md"
    studio = next(line for line in lines if "studio-outreach" in line)
    assert studio.startswith("  ✓ studio-outreach")
    assert "studio ×1" in studio and "Paramount ×1" in studio
    assert lines[-1] == "1 articles, no errors."


def test_default_command_is_build(project, run_cli):
    project.article("a")
    code, out, _ = run_cli(project)
    assert code == 0 and out.startswith("Built 1 articles")


def test_two_builds_are_byte_identical(project, run_cli):
    project.article("a", body=BODY)
    project.article("b", "themes: [competitors]\n", date="2024-03")
    run_cli(project, "build", "--output", "one")
    run_cli(project, "build", "--output", "two")
    one = {
        p.relative_to(project.root / "one"): p.read_bytes()
        for p in (project.root / "one").rglob("*")
        if p.is_file()
    }
    two = {
        p.relative_to(project.root / "two"): p.read_bytes()
        for p in (project.root / "two").rglob("*")
        if p.is_file()
    }
    assert one == two and len(one) > 10


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only_after_a_while() -> None:
    shown, logged, early = Terminal(), io.StringIO(), Terminal()
    for stream, after in ((shown, 0.0), (logged, 0.0), (early, 3600.0)):
        done = Progress(stream, after).counter("rendering", 3)
        done(1)
        done(2)
    assert shown.getvalue() == "  rendering: 1/3\n" + "  rendering: 3/3\n"
    assert logged.getvalue() == "" and early.getvalue() == ""


FULL_BUILD_STEPS = [
    "index, inputs and file stats",
    "imports (Markdown, Jinja, analysis)",
    "parsed-articles table",
    "reading articles",
    "validation",
    "last plan",
    "planning",
    "starting the last plan's writer",
    "search index",
    "output files' stats",
    "rendering",
    "staging and swapping in",
    "saving the index",
    "waiting for the caches' writers",
    "total",
]
STEP = re.compile(r"  (.+?) +(\d+\.\d{3}) s")


def _steps(err: str) -> list[tuple[str, float]]:
    lines = err.splitlines()
    assert lines[0] == "Steps (wall time):"
    found = [STEP.fullmatch(line) for line in lines[1:]]
    assert all(found), lines
    return [(m[1], float(m[2])) for m in found if m]


def test_timings_name_every_step_of_a_build_and_add_up(project, run_cli):
    project.article("a", body=BODY)
    code, out, err = run_cli(project, "build", "--timings")
    assert code == 0 and out.startswith("Built 1 articles")
    steps = _steps(err)
    assert [name for name, _ in steps] == FULL_BUILD_STEPS
    *parts, (_, total) = steps
    assert abs(sum(seconds for _, seconds in parts) - total) < 0.002 * len(parts)
    # Nothing changed: the build stops after comparing the inputs and the output files.
    code, _, err = run_cli(project, "build", "--timings")
    names = [name for name, _ in _steps(err)]
    assert code == 0 and names == [
        "index, inputs and file stats",
        "output files' stats",
        "waiting for the caches' writers",
        "total",
    ]
    assert run_cli(project, "build")[2] == ""  # no timings unless asked


def test_a_step_named_twice_adds_up_and_an_untimed_progress_keeps_none() -> None:
    timed, untimed = Progress(io.StringIO(), timed=True), Progress(io.StringIO())
    for progress in (timed, untimed):
        for name in ("read", "plan", "read"):
            progress.step(name)
    assert [line.split()[0] for line in timed.timings()] == ["read", "plan", "total"]
    assert untimed.timings() == [] and untimed.steps == []
