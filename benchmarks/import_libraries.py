"""Which extractor should give the body of a saved page? Scores trafilatura (default and
precision modes) and readability-lxml (when installed) on the import evaluation set, with
the set's own scorer, next to this project's importer. Figures, not a test.

The importer uses trafilatura in precision mode for the body (best snippet F1 here), its
own code for the metadata. Usage (from the project's root):

    python benchmarks/import_libraries.py PATH/TO/import-eval [--lang fr]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import trafilatura
import yaml


def _readability(page: str) -> str | None:
    """readability-lxml's article text, or None when it is not installed."""
    try:
        import lxml.html
        from readability import Document
    except ImportError:
        return None
    summary = Document(page).summary(html_partial=True)
    text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    return re.sub(r"\n\s*\n+", "\n\n", text)


def _own(page: str) -> str:
    """This project's pasted-text rules run on the page's rendered text (no markup used)."""
    from revue.ingest import import_text
    from revue.ingest.pagemeta import parse
    from revue.ingest.pagetext import page_lines

    tree = parse(page)
    return import_text("\n".join(page_lines(tree))).body if tree is not None else ""


EXTRACTORS = {
    "own rules on the page's text (revue.ingest.zone)": _own,
    "trafilatura (default)": lambda page: trafilatura.extract(
        page, output_format="markdown", include_comments=False
    ),
    "trafilatura (favor_precision)": lambda page: trafilatura.extract(
        page, output_format="markdown", include_comments=False, favor_precision=True
    ),
    "readability-lxml": _readability,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the import-eval folder")
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()
    records = [json.loads(line) for line in (args.data / "gold.jsonl").open(encoding="utf-8")]
    print("| extractor (body only) | body tokens F1 | snippets F1 |")
    print("|---|---|---|")
    for name, extract in EXTRACTORS.items():
        with tempfile.TemporaryDirectory() as out:
            for record in records:
                page = (args.data / record["html"]).read_bytes().decode("utf-8", "replace")
                body = extract(page)
                if body is None and name == "readability-lxml":
                    break
                path = Path(out) / (record["id"].replace("/", "__") + ".md")
                path.write_text("---\n" + yaml.safe_dump({}) + "---\n" + (body or ""), "utf-8")
            else:
                scores = subprocess.run(
                    [
                        sys.executable,
                        str(args.data / "score.py"),
                        out,
                        "--data",
                        str(args.data),
                        "--lang",
                        args.lang,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                body_f1 = re.search(r"body tokens .*F1=(\S+)", scores)
                snippets_f1 = re.search(r"snippets .*F1=(\S+)", scores)
                print(
                    f"| {name} | {body_f1[1] if body_f1 else '—'} | "
                    f"{snippets_f1[1] if snippets_f1 else '—'} |"
                )
                continue
            print(f"| {name} | not installed | |")


if __name__ == "__main__":
    main()
