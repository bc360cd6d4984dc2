"""The command line: parse arguments, run one command, turn errors into messages and exit codes.

This is the only module besides content.py (reading) and output.py (writing) that touches the disk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from .builder import build
from .config import load_config
from .errors import BuildError
from .lock import BuildLocked, build_lock
from .progress import Progress, is_terminal

COMMANDS = ("build", "import", "new", "check", "serve")


def main(argv: list[str] | None = None, keep: list[object] | None = None) -> int:
    """Run the command in `argv` (default: build) and return the exit code. `keep`, when
    given, receives a build's big objects instead of their being freed (see build.py)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv.insert(0, "build")
    args = _parser().parse_args(argv)
    args.keep = keep
    root = Path.cwd()
    try:
        return args.run(args, root)
    except BuildError as error:
        for problem in error.errors:
            print(problem, file=sys.stderr)
        count = len(error.errors)
        print(
            f"Build failed: {count} error{'s' if count > 1 else ''}; nothing was written.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Revue: a French press-review "
        "site generator. Without a command, builds the site.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="validate the articles and build the site")
    build.add_argument("--base-url", help="public address of the site (overrides site.toml)")
    build.add_argument("--output", type=Path, help="output folder (default: _site)")
    build.add_argument("--jobs", type=int, help="processes to render with (default: one per core)")
    build.add_argument(
        "--timings", action="store_true", help="print how long each step took (on stderr)"
    )
    build.set_defaults(run=run_build)

    imp = commands.add_parser(
        "import", help="turn pasted page texts or saved web pages into article files"
    )
    imp.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="a pasted text (.txt, .md), a saved page (.html, .htm) or - for standard input",
    )
    imp.add_argument("--source", metavar="OUTLET", help="the outlet that published the article")
    imp.add_argument("--url", help="the address of the original article")
    imp.add_argument("--output", type=Path, metavar="PATH", help="file or folder to write to")
    imp.add_argument("--force", action="store_true", help="overwrite an existing file")
    imp.set_defaults(run=run_import)

    new = commands.add_parser("new", help="write a ready-to-fill article file")
    new.add_argument("title")
    new.add_argument("--source", default="", metavar="OUTLET")
    new.add_argument("--date", help="publication date (default: today), YYYY-MM-DD or YYYY-MM")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(run=run_new)

    check = commands.add_parser("check", help="validate the articles without building")
    check.add_argument(
        "--explain",
        action="store_true",
        help="print each article's theme scores and the terms behind them",
    )
    check.set_defaults(run=run_check)

    serve = commands.add_parser(
        "serve", help="build, serve on this machine and rebuild on every change (live reload)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve.add_argument(
        "--base-url",
        help="public address to preview, e.g. https://user.github.io/revue/: the site is then "
        "served under its path (default: the local address, at the root)",
    )
    serve.set_defaults(run=run_serve)
    return parser


def _load(root: Path, base_url: str | None = None):
    """Config and valid articles, or BuildError with every problem found."""
    from .content import load_articles  # here: a build with nothing to do needs no parser

    config = load_config(root)
    if base_url:
        config = config.with_base_url(base_url)
    articles, errors = load_articles(config)
    if errors:
        raise BuildError(errors)
    return config, articles


def run_build(args: argparse.Namespace, root: Path) -> int:
    """`build`: validate, render in memory, then swap the new site into place."""
    config = load_config(root)
    if args.base_url:
        config = config.with_base_url(args.base_url)
    output = args.output or (root / config.output_dir)
    try:
        with build_lock(output, on_wait=lambda line: print(line, file=sys.stderr)):
            started = time.monotonic()
            progress = Progress(timed=args.timings)
            report = build(config, output, args.jobs, progress, keep=args.keep)
            took = time.monotonic() - started
    except BuildLocked as error:
        print(error, file=sys.stderr)
        return 1
    except OSError as error:  # read-only folder, full disk…
        print(
            f"{_shown(output, root)}/: cannot write the site ({error.strerror or error}); "
            "the previous site is left as it was.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Built {report.articles} articles into {_shown(output, root)}/ ({report.pages} pages, "
        f"{report.files} files)."
    )
    if took >= 2 and is_terminal(sys.stderr):  # as their progress: see progress.Progress
        print(
            f"  {took:.2f} s: {report.rendered} rendered, {report.written} written, "
            f"{report.removed} removed.",
            file=sys.stderr,
        )
    if args.timings:
        print("Steps (wall time):", *progress.timings(), sep="\n", file=sys.stderr)
    return 0


def run_check(args: argparse.Namespace, root: Path) -> int:
    """`check`: validate every article; with --explain, show how the analysis decided its
    themes (each theme's score and the terms behind it), summary, quotations and story."""
    config, articles = _load(root)
    if args.explain:
        from .analysis.digest import build_digest
        from .analysis.themes import score_themes

        digest = build_digest(articles, config)
        for article in articles:
            analysis = digest.analyses[article.slug]
            print(f"{article.path}")
            if article.themes:
                print(f"  themes set in the frontmatter: {', '.join(article.themes)}")
            for score in score_themes(article, config):
                chosen = "✓" if score.score >= config.theme_min_score else " "
                terms = ", ".join(f"{term} ×{count}" for term, count in score.matches) or "—"
                print(f"  {chosen} {score.theme_id:<16} {score.score:>3}  {terms}")
            origin = "computed" if analysis.summary_computed else "from the frontmatter"
            print(f"  summary ({origin}): {analysis.summary or '—'}")
            named = sum(1 for q in analysis.quotes if q.speaker)
            print(f"  quotations: {len(analysis.quotes)}, {named} with their speaker")
            story = digest.story_of.get(article.slug)
            if story is not None:
                others = [s for s in digest.stories[story] if s != article.slug]
                print(f"  same story as: {', '.join(others)}")
            unknown = sorted(
                set(analysis.same_story + analysis.not_same_story) - set(digest.analyses)
            )
            if unknown:
                print(f"  warning: no article has the slug {', '.join(unknown)}")
        print(
            f"(a theme is assigned from a score of {config.theme_min_score}; "
            "terms in the title count twice)"
        )
    print(f"{len(articles)} articles, no errors.")
    return 0


def run_import(args: argparse.Namespace, root: Path) -> int:
    """`import`: pasted texts and saved pages → article files under content/articles/."""
    from .import_command import import_files

    config = load_config(root)
    return import_files(
        args.files,
        articles_dir=root / config.content_dir / "articles",
        source=args.source,
        url=args.url,
        output=args.output,
        force=args.force,
    )


def run_new(args: argparse.Namespace, root: Path) -> int:
    """`new`: write a ready-to-fill article file named after its date and title."""
    from .newfile import new_article_text
    from .text import slugify

    config = load_config(root)
    date = args.date or dt.date.today().isoformat()
    slug = slugify(args.title, max_length=60) or "article"
    path = root / config.content_dir / "articles" / f"{date}-{slug}.md"
    if path.exists() and not args.force:
        print(
            f"{_shown(path, root)}: already exists; pass --force to overwrite it", file=sys.stderr
        )
        return 1
    from .import_command import ImportFailure, write_new_file

    try:  # through a temporary file renamed into place: a crash never leaves half a file
        write_new_file(path, new_article_text(args.title, date, args.source, config), force=True)
    except ImportFailure as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Created {_shown(path, root)}: fill in the source, the url and the text.")
    return 0


def run_serve(args: argparse.Namespace, root: Path) -> int:
    """`serve`: build, serve the site locally and rebuild it on every change, until Ctrl-C."""
    from .serve import ServeOptions, serve

    return serve(ServeOptions(root=root, host=args.host, port=args.port, base_url=args.base_url))


def _shown(path: Path, root: Path) -> str:
    """A path as the user should see it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
