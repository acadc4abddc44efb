"""The `newsdesk` command: thin wrappers that parse options, call the library, print JSON."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from . import __version__
from .errors import InputError, NewsdeskError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEFAULT_DB = "newsdesk.db"
LOGGER = logging.getLogger("newsdesk")
# Libraries that log every page they cannot use; newsdesk reports those itself, once.
_CHATTY = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer", "readability")


class _Failures:
    """Counts inputs that could not be processed and reports each on one stderr line."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, error: InputError) -> None:
        self.count += 1
        click.echo(f"newsdesk: error: {error}", err=True)


def _setup_logging(verbose: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("newsdesk: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG)
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose >= 3 else logging.CRITICAL)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="newsdesk")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """Turn many reports of the same events into clean, cited, linked articles.

    Every command reads files, directories (recursively) or - for stdin:
    .txt, .html/.htm, .jsonl, .warc(.gz), .rss/.atom/.xml, each optionally .gz.
    Output is UTF-8 JSON on stdout unless --out FILE is given; problems with
    single inputs are reported on stderr, one line each, and give exit code 1
    after the rest of the batch is done.
    """
    _setup_logging(verbose)


_db_option = click.option(
    "--db",
    default=lambda: os.environ.get("NEWSDESK_DB", DEFAULT_DB),
    show_default="newsdesk.db or $NEWSDESK_DB",
    metavar="PATH",
    help="SQLite file, or a postgresql:// URL.",
)


def _input_options(func, required: bool = True):
    func = click.option(
        "--max-bytes",
        type=click.IntRange(1),
        default=10 * 1024 * 1024,  # sources.decode.MAX_BYTES (not imported: it would slow every command's start)
        show_default=True,
        help="Largest single article file or record accepted.",
    )(func)
    func = click.option(
        "--jobs",
        "-j",
        type=click.IntRange(1),
        default=None,
        help="Worker processes for extraction [default: up to 2, one per core].",
    )(func)
    func = click.option(
        "--no-site-boilerplate", is_flag=True, help="Do not cut lines that repeat across one site's pages."
    )(func)
    func = click.option(
        "--precision", is_flag=True, help="trafilatura's precision mode for HTML pages (default: its balanced mode)."
    )(func)
    func = click.option("--recall", is_flag=True, hidden=True)(func)  # the old opt-out of precision, now the default
    return click.argument("inputs", nargs=-1, required=required, metavar="INPUT...")(func)


def _iter_articles(inputs: Iterable[str], failures: _Failures, **options: Any) -> Iterator[Any]:
    from .extraction import ExtractSettings, iter_extract
    from .sources import iter_documents

    settings = ExtractSettings(
        precision=options["precision"] and not options["recall"],
        site_boilerplate=not options["no_site_boilerplate"],
        max_bytes=options["max_bytes"],
    )
    if options.get("jobs"):
        settings.jobs = options["jobs"]
    for item in iter_extract(iter_documents(inputs, max_bytes=settings.max_bytes), settings):
        if isinstance(item, InputError):
            failures.report(item)
        else:
            yield item


@contextmanager
def _output(out: str | None) -> Iterator[IO[str]]:
    """stdout, or the --out file (its folder created), closed afterwards."""
    if out in (None, "-"):
        yield sys.stdout
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        yield stream


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


def _finish(failures: _Failures, done: int) -> None:
    if failures.count:
        click.echo(f"newsdesk: {failures.count} input(s) failed, {done} article(s) processed", err=True)
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@_input_options
@click.option("--out", "-o", metavar="FILE", help="Write JSON Lines here instead of stdout.")
def extract(inputs: tuple[str, ...], out: str | None, **options: Any) -> None:
    """Clean article text: main text, metadata, language; boilerplate cut and listed.

    Prints one JSON object per article: id, title, text, language, published,
    outlet, url, removed (the lines cut as boilerplate), plus author,
    content_hash and source.

    \b
    Examples:
      newsdesk extract page.html
      newsdesk extract corpus/ --out articles.jsonl
      echo '{"id": "a1", "text": "Title\\n\\nBody..."}' | newsdesk extract -
    """
    failures, done = _Failures(), 0
    with _output(out) as stream:
        for article in _iter_articles(inputs, failures, **options):
            stream.write(_dump(article.to_json()) + "\n")
            done += 1
    _finish(failures, done)


@cli.command(context_settings=CONTEXT)
@_input_options
@click.option("--out", "-o", metavar="FILE", help="Write the JSON here instead of stdout.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl"]),
    default="json",
    show_default=True,
    help="json: one object {articles, entities, models}; jsonl: one article per line, then the entities.",
)
def analyze(inputs: tuple[str, ...], out: str | None, fmt: str, **options: Any) -> None:
    """Entities, quotes with speakers, quantities and dates of each article, as character spans.

    Every `entity` id refers to the top-level `entities` list, shared by all
    articles of the run; quotes carry their speaker's entity id (or are marked
    unnamed), quantities a normalised value and unit, dates an ISO value
    resolved against the article's publication date (null when unresolvable).

    \b
    Examples:
      newsdesk analyze corpus/ --out analysis.json
      newsdesk analyze articles.jsonl --format jsonl | jq .quotes
    """
    from .analysis import Analyzer

    analyzer = Analyzer()
    failures, done = _Failures(), 0
    with _output(out) as stream:
        if fmt == "json":
            stream.write('{"articles": [\n')
        for analysis in analyzer.analyze(_iter_articles(inputs, failures, **options)):
            record = _dump(analyzer.resolve(analysis).to_json())
            stream.write((",\n" if done and fmt == "json" else "") + record + ("\n" if fmt == "jsonl" else ""))
            done += 1
        entities = analyzer.entity_records()
        if fmt == "json":
            stream.write(f'\n], "entities": {_dump(entities)}, "models": {_dump(analyzer.models())}}}\n')
        else:
            stream.write(_dump({"entities": entities, "models": analyzer.models()}) + "\n")
    _finish(failures, done)


@cli.command(context_settings=CONTEXT)
@_input_options
@click.option("--out", "-o", metavar="FILE", help="Write JSON Lines here instead of stdout.")
def cluster(inputs: tuple[str, ...], out: str | None, **options: Any) -> None:
    """Group articles into stories (one real-world event each) and storylines.

    Prints one JSON object per article, in input order: id, story, storyline,
    and copy_of / copy_kind when the article copies or translates an earlier one.
    Articles are taken in publication order, each joining the best earlier story
    or starting a new one, as they would when streamed in by `ingest`.

    \b
    Examples:
      newsdesk cluster corpus/ > stories.jsonl
      newsdesk cluster a.jsonl b.jsonl --out stories.jsonl
    """
    from .analysis import Analyzer
    from .linking.pipeline import cluster_articles

    analyzer = Analyzer()
    failures = _Failures()
    articles = list(_iter_articles(inputs, failures, **options))
    analyses = list(analyzer.analyze(articles))
    with _output(out) as stream:
        for assignment in cluster_articles(zip(articles, analyses, strict=True)):
            record: dict[str, Any] = {
                "id": assignment.article,
                "story": assignment.story,
                "storyline": assignment.storyline,
            }
            if assignment.copy is not None:
                record |= {"copy_of": assignment.copy.original, "copy_kind": assignment.copy.kind}
            stream.write(_dump(record) + "\n")
    _finish(failures, len(articles))


@cli.command(context_settings=CONTEXT)
@functools.partial(_input_options, required=False)
@click.option(
    "--from-db",
    "from_db",
    metavar="PATH",
    default=None,
    help="Brief the stories `newsdesk ingest` stored in this database (SQLite file or postgresql:// URL) "
    "instead of reading INPUT: nothing is analysed again.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown", "html"]),
    default="json",
    show_default=True,
    help="json: the brief contract; markdown: for a terminal or GitHub; html: one self-contained page.",
)
@click.option(
    "--out",
    "-o",
    "outs",
    metavar="FILE",
    multiple=True,
    help="Write the brief here instead of stdout; repeatable, each file's format by its extension "
    "(.json, .md, .html; others take --format).",
)
@click.option("--story", "only", metavar="ID", multiple=True, help="Only these stories (repeatable).")
@click.option(
    "--by",
    "group",
    type=click.Choice(["story", "storyline"]),
    default="story",
    show_default=True,
    help="One brief per story (event), or per storyline (related events over weeks, one timeline).",
)
def brief(
    inputs: tuple[str, ...],
    from_db: str | None,
    fmt: str,
    outs: tuple[str, ...],
    only: tuple[str, ...],
    group: str,
    **options: Any,
) -> None:
    """One cited brief per story: summary, facts with independent sources and conflicts,
    quotes by speaker, timeline, entities and sources.

    Every summary sentence, fact and timeline entry cites the spans of the
    articles it comes from (offsets into each article's cleaned text, as
    `newsdesk extract` prints it). Copies and translations of one original,
    and articles of one outlet, count as one source.

    \b
    Examples:
      newsdesk brief corpus/ > brief.json
      newsdesk brief corpus/ --format markdown
      newsdesk brief corpus/ --format html --out brief.html
      newsdesk brief corpus/ --by storyline --format markdown
      newsdesk brief corpus/ -o brief.json -o brief.md -o brief.html
      newsdesk brief --from-db news.db --story story-abc123 --format markdown
    """
    from .reconcile import brief_articles, brief_stored
    from .report import render_html, render_json, render_markdown

    if bool(inputs) == bool(from_db):
        raise click.UsageError("give INPUT files or --from-db PATH (one of them)")
    failures = _Failures()
    if from_db:
        with _store(from_db, must_exist=True) as store:
            result = brief_stored(store, group, only)
            cited = {s["id"] for story in result["stories"] for s in story["sources"]}
            texts = {i: a.text for i in cited if (a := store.get(i)) is not None}
        count = len(texts)
    else:
        articles = list(_iter_articles(inputs, failures, **options))
        result = brief_articles(articles, group)
        if only:
            result["stories"] = [s for s in result["stories"] if s["id"] in only]
        texts = {a.id: a.text for a in articles}
        count = len(articles)
    renderers = {"json": lambda: render_json(result), "markdown": lambda: render_markdown(result, texts)}
    renderers["html"] = lambda: render_html(result, texts)
    by_extension = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
    for out in outs or (None,):
        kind = by_extension.get(Path(out).suffix.lower(), fmt) if out else fmt
        with _output(out) as stream:
            stream.write(renderers[kind]().rstrip("\n") + "\n")
    _finish(failures, count)


@cli.command(context_settings=CONTEXT)
@_input_options
@_db_option
@click.option("--no-analyze", is_flag=True, help="Store articles only; skip entities, quotes, quantities, dates.")
def ingest(inputs: tuple[str, ...], db: str, no_analyze: bool, **options: Any) -> None:
    """Extract articles and store them; re-ingesting the same article is a no-op.

    A changed article (same id, different content) is updated in place, and
    its annotations (entities, quotes, quantities, dates) are redone. Prints a
    JSON summary: how many were added, updated, unchanged, analysed and failed.

    \b
    Examples:
      newsdesk ingest corpus/ --db news.db
      newsdesk ingest crawl.warc.gz feed.rss --db news.db
    """
    from .ingest import ingest as run_ingest

    analyzer = None
    if not no_analyze:
        from .analysis import Analyzer

        analyzer = Analyzer()
    failures = _Failures()

    def waiting() -> None:
        click.echo(f"newsdesk: another ingest is writing to {db}; waiting for it to finish", err=True)

    with _store(db) as store, store.writer_lock(waiting):
        try:
            report = run_ingest(_iter_articles(inputs, failures, **options), store, analyzer)
        except NewsdeskError as exc:
            raise click.ClickException(str(exc)) from None
        total = store.count()
    from .unicode import valid_unicode

    summary = {**report.to_json(), "failed": failures.count, "articles_in_db": total, "db": valid_unicode(db)}
    click.echo(_dump(summary))
    _finish(failures, len(report.added) + len(report.updated) + len(report.unchanged))


@cli.command(name="list", context_settings=CONTEXT)
@_db_option
@click.option("--limit", type=click.IntRange(0), default=None, help="At most this many articles.")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many first.")
@click.option("--language", help="Only articles in this language (ISO 639-1).")
@click.option("--outlet", help="Only articles from this outlet.")
def list_(db: str, limit: int | None, offset: int, language: str | None, outlet: str | None) -> None:
    """List stored articles, newest first, one JSON object per line (no text).

    \b
    Example:
      newsdesk list --db news.db --language en --limit 20
    """
    with _store(db, must_exist=True) as store:
        for row in store.iter_articles(limit=limit, offset=offset, language=language, outlet=outlet):
            click.echo(_dump(row))


@cli.command(context_settings=CONTEXT)
@_db_option
def stories(db: str) -> None:
    """List stored stories, most recently updated first: id, storyline, title, article ids.

    \b
    Example:
      newsdesk stories --db news.db
    """
    from .store.linking import story_rows

    with _store(db, must_exist=True) as store, store.engine.connect() as conn:
        for row in story_rows(conn):
            click.echo(_dump(row))


@cli.command(context_settings=CONTEXT)
@click.argument("article_id", metavar="ID")
@_db_option
@click.option("--raw", is_flag=True, help="Include the raw input (HTML or text) as read.")
def show(article_id: str, db: str, raw: bool) -> None:
    """Print one stored article as JSON: cleaned text, metadata, removed lines.

    \b
    Example:
      newsdesk show meridianpost-geneva-dam-talks --db news.db
    """
    with _store(db, must_exist=True) as store:
        article = store.get(article_id)
    if article is None:
        raise click.ClickException(f"no article with id {article_id!r} in {db} (see: newsdesk list --db {db})")
    record = article.to_json()
    if raw:
        record["raw"] = article.raw
    click.echo(json.dumps(record, ensure_ascii=False, indent=2))


@cli.command(context_settings=CONTEXT)
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: all).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
def serve(db: str, host: str, port: int) -> None:
    """Run the web UI and the REST API over a database `newsdesk ingest` filled.

    Pages: / (stories), /stories/ID, /articles/ID, /entities/ID, /search?q=.
    API: /api/stories, /api/articles, /api/entities (JSON, paged with limit and
    offset); the OpenAPI schema is at /openapi.json.

    Reads are open unless NEWSDESK_READ_KEY is set. Submitting articles
    (POST /api/articles, POST /api/files) needs the key in NEWSDESK_API_KEY,
    sent as an `X-API-Key` header; with no key set, writes are off.

    \b
    Examples:
      newsdesk serve --db news.db
      NEWSDESK_API_KEY=s3cret newsdesk serve --db news.db --host 0.0.0.0 --port 8080
      make serve        (the bundled demo corpus, ingested first)
    """
    import uvicorn

    from .web import WebSettings, create_app

    if "://" not in db and not Path(db).exists():
        raise click.ClickException(f"no database at {db} (create one with: newsdesk ingest INPUT --db {db})")
    try:
        app = create_app(WebSettings.from_env(db))
    except NewsdeskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"newsdesk: serving {db} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.group(name="eval", context_settings=CONTEXT)
def eval_() -> None:
    """Score newsdesk on gold data sets (see ../shared/data/README.md)."""


@eval_.command(name="extraction", context_settings=CONTEXT)
@click.argument("directories", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
def eval_extraction(directories: tuple[Path, ...]) -> None:
    """Extraction scores of newsdesk and of trafilatura alone, side by side, on every page set.

    Each DIRECTORY holds ground-truth.json and html/<id>.html(.gz) (the Scrapinghub layout, or
    the modern one with `with`/`without` segments); by default every set under
    $NEWSDESK_DATA/dev/extraction or ../shared/data/dev/extraction. Both metrics (4-gram
    shingle F1; segments found / wrongly kept) on each set and on its two halves.

    \b
    Example:
      newsdesk eval extraction
      newsdesk eval extraction ../shared/data/dev/extraction/modern
    """
    from .evaluate import evaluate_extraction

    if not directories:
        root = _data_dir() / "dev" / "extraction"
        directories = (
            tuple(sorted(d for d in root.iterdir() if (d / "ground-truth.json").is_file())) if root.is_dir() else ()
        )
        if not directories:
            raise click.ClickException(f"no page sets under {root} (give a DIRECTORY)")
    out: dict[str, Any] = {}
    for directory in directories:
        try:
            out[str(directory)] = evaluate_extraction(directory)
        except NewsdeskError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"{directory}: scored", err=True)
    click.echo(json.dumps(out, indent=2))


@eval_.command(name="analysis", context_settings=CONTEXT)
@click.option(
    "--demo",
    "demo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus with gold/ annotations [default: the bundled demo/].",
)
@click.option("--no-dev-sets", is_flag=True, help="Skip ECB+ and MEANTIME entity-mention scores.")
def eval_analysis(demo_dir: Path | None, no_dev_sets: bool) -> None:
    """Quote attribution, entity, quantity and date scores on hand-made and dev gold.

    Quote attribution counts a predicted quote as right when it covers at least
    30% of a gold quote and names the same speaker (any spelling of the gold
    person; an unnamed source must be predicted unnamed). Entity mentions are
    also scored on ECB+ and MEANTIME when ../shared/data is present.

    \b
    Example:
      newsdesk eval analysis
    """
    from .evaluate.analysis import evaluate_analysis

    demo_dir = demo_dir or Path(__file__).resolve().parents[2] / "demo"
    data = None
    if not no_dev_sets:
        try:
            data = _data_dir()
        except click.ClickException:
            data = None
    try:
        results = evaluate_analysis(demo_dir, data)
    except NewsdeskError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(results, indent=2))


@eval_.command(name="stories", context_settings=CONTEXT)
@click.option("--fit", is_flag=True, help="Refit the same-event model on the dev sets and write it into the package.")
@click.option("--no-held-out", is_flag=True, help="Score the shipped model only (faster).")
def eval_stories(fit: bool, no_held_out: bool) -> None:
    """Story clustering on every dev set and dense stream, with the shipped model and held out.

    \b
    Sets: ECB+ (event and raw gold, topic halves), ECB+ with dates removed, MEANTIME
    (four languages), the SemEval-2022 Task 8 stream (every article in one run, scored
    on its rated pairs), fortnights of ten ECB+ events naming one head of state, and the
    hand-written fortnights in benchmarks/streams/. `held_out` scores each set with a
    model fitted without it (halves of the dev sets; each fortnight left out whole).
    The SemEval stream takes about ten minutes to analyse.

    With --fit, refits the same-event model (linking/same_event.pkl) on all of them,
    reproducibly, and prints what it was fitted on.

    \b
    Examples:
      newsdesk eval stories
      newsdesk eval stories --fit
    """
    from .evaluate.stories import evaluate_stories, fit_same_event

    def log(message: str) -> None:
        click.echo(f"newsdesk: {message}", err=True)

    if fit:
        results = fit_same_event(_data_dir(), log=log)
    else:
        results = evaluate_stories(_data_dir(), held_out=not no_held_out, log=log)
    click.echo(json.dumps(results, indent=2))


@eval_.command(name="brief", context_settings=CONTEXT)
@click.option(
    "--demo",
    "demo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus with gold/facts.json and gold/summaries.json [default: the bundled demo/].",
)
def eval_brief(demo_dir: Path | None) -> None:
    """Corroboration, conflicts, summary ROUGE and citation checks of `newsdesk brief`.

    Builds the brief of the demo corpus as `newsdesk brief` does and scores it
    against hand-made gold: which facts each article states (fact and pair
    recall, pair precision, independent-source counts), disputed figures, and
    reference summaries (ROUGE-1/2 F1). Every cited span is checked. With
    ../shared/data present, also how well facts join sentences with their
    translations (MEANTIME: each article in en/es/it/nl, sentence by sentence),
    and how well two adjacent sentences join one sentence that packs both.

    \b
    Example:
      newsdesk eval brief
    """
    from .evaluate.brief import evaluate_block_alignment, evaluate_brief, evaluate_translation_alignment
    from .extraction import ExtractSettings, iter_extract
    from .model import Article
    from .reconcile import brief_articles
    from .sources import iter_documents

    demo_dir = demo_dir or Path(__file__).resolve().parents[2] / "demo"
    articles = [
        a for a in iter_extract(iter_documents([str(demo_dir / "corpus")]), ExtractSettings()) if isinstance(a, Article)
    ]
    result = brief_articles(articles)
    try:
        scores = evaluate_brief(result, demo_dir / "gold", {a.id: a.text for a in articles})
    except NewsdeskError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        meantime = _data_dir() / "dev" / "clustering" / "meantime_airbus.jsonl"
    except click.ClickException:
        meantime = None
    if meantime is not None and meantime.is_file():
        scores["translation_alignment"] = evaluate_translation_alignment(meantime)
        scores["block_alignment"] = evaluate_block_alignment(meantime)
    click.echo(json.dumps(scores, indent=2))


@eval_.command(name="identities", context_settings=CONTEXT)
def eval_identities() -> None:
    """Cross-document entity identity: BCubed F1 on ECB+ and MEANTIME, with name-match baselines.

    \b
    Example:
      newsdesk eval identities
    """
    from .evaluate.identities import evaluate_identities

    click.echo(json.dumps(evaluate_identities(_data_dir()), indent=2))


def _data_dir() -> Path:
    if os.environ.get("NEWSDESK_DATA"):
        return Path(os.environ["NEWSDESK_DATA"])
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        candidate = base.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    raise click.ClickException("no data directory found: pass DIRECTORY or set NEWSDESK_DATA")


def _store(db: str, must_exist: bool = False):
    from .store import Store

    if must_exist and "://" not in db and not Path(db).exists():
        raise click.ClickException(f"no database at {db} (create one with: newsdesk ingest INPUT --db {db})")
    try:
        return Store(db)
    except NewsdeskError as exc:
        raise click.ClickException(str(exc)) from None


def main() -> None:
    """Entry point for the console script and `python -m newsdesk`."""
    try:
        cli(prog_name="newsdesk")
    except KeyboardInterrupt:
        click.echo("newsdesk: interrupted", err=True)
        sys.exit(130)
