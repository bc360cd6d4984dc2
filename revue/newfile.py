"""The text of a new, ready-to-fill article file (`python build.py new`)."""

from __future__ import annotations

import yaml

from .config import Config


def new_article_text(title: str, date: str, source: str, config: Config) -> str:
    """Frontmatter with every field an editor fills in, then a body to replace."""
    fields = {
        "title": title,
        "date": date,
        "source": source or "À compléter",
        "url": "",
        "draft": True,
        "author": "",
        "themes": [],
        "summary": "",
    }
    header = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    theme_ids = ", ".join(t.id for t in config.themes)
    return (
        f"---\n{header}"
        f"# themes: choose among {theme_ids}, or leave [] to let Revue decide\n"
        "# draft: true keeps the article off the site; delete that line to publish it\n"
        "---\n\n"
        "Collez ici le texte de l’article, ou les extraits que la revue cite.\n"
    )
