"""The ``searchlib`` command: parse, call the library, render.

Data goes to stdout, messages and progress to stderr. Library errors are
turned into one-line messages in one place (:class:`_Group`), each with a
documented exit code. Library modules are imported inside the commands so
that ``searchlib --help`` answers without loading Whoosh.
"""

from __future__ import annotations

import errno
import io
import os
import shlex
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from searchlib import __version__
from searchlib.errors import IndexLockedError, QueryError, SearchlibError, TooManyDeletionsError, ValidationError

if TYPE_CHECKING:
    from searchlib.query import ParsedQuery

EXIT_ERROR, EXIT_USAGE, EXIT_LOCKED, EXIT_INVALID, EXIT_PARTIAL = 1, 2, 3, 4, 5

EXIT_CODES = """\b
Exit codes:
  0  success (a search with no results included)
  1  error: no index, unreadable index or source, bad query
  2  usage error: unknown option, bad date
  3  another job is writing the index (use --wait)
  4  the new index failed validation; the live index was kept
  5  indexed and live, but some sources failed (each listed on stderr)
"""

SAMPLE = Path(__file__).parent / "data" / "sample"


class _Group(click.Group):
    """Turns library errors into a message and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IndexLockedError as exc:
            _fail(str(exc), EXIT_LOCKED)
        except ValidationError as exc:
            _list_failures(exc.failed)
            _fail(str(exc), EXIT_INVALID)
        except SearchlibError as exc:
            _fail(str(exc), EXIT_ERROR)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT) or not _stdout_broken():
                raise
            # The output went nowhere (a full disk under > results.json): say so
            # once, and let nothing more be written to it at exit.
            _drop_stdout()
            _fail(f"could not write the output: {exc.strerror}. Free some space or write it elsewhere.", EXIT_ERROR)


def _stdout_broken() -> bool:
    """Whether the output cannot be written: what is still buffered for it cannot be flushed."""
    try:
        sys.stdout.flush()
    except OSError:
        return True
    return False


def _drop_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing is flushed to a disk at exit


class _QueryCommand(click.Command):
    """A command whose words may start with ``-`` (exclusions) though some short options do too.

    Click reads ``-hà`` as ``-h`` (help) and ``-nhà`` as ``-n hà`` (a limit),
    and many Vietnamese words start with h or n. A word that begins like a
    short option but is not one with its number after it is set aside before
    Click parses, and put back among the query's words, in place.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Short option -> whether it takes a value (-n5); a flag's never does (-h5 is a word).
        shorts = {
            o: not getattr(p, "is_flag", False)
            for p in self.get_params(ctx)
            for o in (*p.opts, *p.secondary_opts)
            if len(o) == 2 and o[1] != "-"
        }
        kept: dict[str, str] = ctx.meta.setdefault(_WORDS, {})
        rewritten = []
        for i, arg in enumerate(args):
            if arg == "--":
                rewritten.extend(args[i:])
                break
            if len(arg) > 2 and arg[:2] in shorts and not (shorts[arg[:2]] and arg[2:].isdigit()):
                placeholder = f"\0{len(kept)}"  # no shell argument holds a NUL
                kept[placeholder] = arg
                arg = placeholder
            rewritten.append(arg)
        return super().parse_args(ctx, rewritten)


_WORDS = "searchlib.words"


def _list_failures(failed: list[Any]) -> None:
    for failure in failed:
        click.echo(f"Failed: {failure.key}: {failure.reason}", err=True)


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def index_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--index",
        "index_path",
        envvar="SEARCHLIB_INDEX",
        type=click.Path(file_okay=False),
        callback=_index_path,
        help="Index directory [env: SEARCHLIB_INDEX; default: ./index].",
    )(f)


def _index_path(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A command's own --index, else the one given before the command, else the environment."""
    from click.core import ParameterSource

    if ctx.get_parameter_source(param.name or "") is not ParameterSource.COMMANDLINE:
        before = ctx.find_root().params.get("index_path")
        if before is not None:
            return str(before)
    return value


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from searchlib.query import parse_date

    if value is not None:
        try:
            parse_date(value)
        except QueryError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


def _style() -> str:
    """ANSI on a terminal unless NO_COLOR is set (non-empty, as no-color.org says); plain markers when piped."""
    tty = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    return "ansi" if tty and not os.environ.get("NO_COLOR") else "plain"


@click.group(cls=_Group, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="searchlib")
@click.option(
    "--index",
    "index_path",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Index directory for the command that follows (it may also take --index itself).",
)
def cli(index_path: str | None) -> None:
    """Vietnamese-aware full-text search over news archives.

    Build an index from a folder of scraped articles, then search it with or
    without diacritics: searchlib index ARTICLES/ && searchlib search "bi thu tinh uy"
    """


@cli.command(cls=_QueryCommand, epilog=EXIT_CODES, context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1)
@click.option("--leader", multiple=True, help="Only articles naming this leader (repeatable: any of them).")
@click.option("--topic", multiple=True, help="Only articles with this topic (repeatable: any of them).")
@click.option("--since", callback=_date, metavar="DATE", help="On or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", callback=_date, metavar="DATE", help="On or before DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option(
    "--duplicates",
    is_flag=True,
    help="Show copies of an article ranked above (the same title and text under another id); left out by default.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object with hits and facets.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per hit.")
@index_option
def search(query: tuple[str, ...], index_path: str | None, **opts: Any) -> None:
    """Search for QUERY: words, "exact phrases", -excluded, a OR b, leader:"…", topic:…, title:….

    With no QUERY, list the articles that match the filters, newest first.
    """
    from searchlib import open_index
    from searchlib.query import parse_query
    from searchlib.render import dumps, format_facets, format_results, hit_json, results_json

    kept = click.get_current_context().meta.get(_WORDS, {})
    query = tuple(kept.get(word, word) for word in query)
    # Unknown options pass through so that -covid excludes; a mistyped --option must not become words.
    for word in query:
        if word.startswith("--") and word[2:3].isalpha():
            known = [name for param in click.get_current_context().command.params for name in param.opts]
            raise click.NoSuchOption(word.split("=")[0], possibilities=[n for n in known if n.startswith("--")])
    text = " ".join(query)
    limit, page = opts.pop("limit"), opts.pop("page")
    as_json, as_jsonl = opts.pop("as_json"), opts.pop("as_jsonl")
    if as_json and as_jsonl:
        raise click.UsageError("--json and --jsonl are two output formats: choose one.")
    for name in ("leader", "topic"):
        opts[name] = list(opts[name]) or None
    collapse = not opts.pop("duplicates")
    _check_range(opts["since"], opts["until"])
    index = open_index(index_path)
    results = index.search(text, limit=limit, offset=(page - 1) * limit, collapse=collapse, **opts)
    if as_json:
        click.echo(dumps(results_json(results)))
    elif as_jsonl:
        for hit in results.hits:
            click.echo(dumps(hit_json(hit)))
    elif results.hits:
        click.echo(format_results(results, _style()))  # type: ignore[arg-type]
        if results.facets.years or results.facets.leaders or results.facets.topics:
            click.echo("\n" + format_facets(results))
    parsed = parse_query(text)
    _notes(results, text, parsed)
    if not results.total:
        _filter_hints(index, opts)
    if opts["sort"] == "date" and results.total:
        _phrase_hint(index, parsed, results, opts)


def _check_range(since: str | None, until: str | None) -> None:
    """A date range that ends before it starts is a usage error, as a bad date is."""
    from searchlib.query import parse_date

    if since is not None and until is not None and parse_date(since) > parse_date(until, end=True):
        raise click.UsageError(f"--since {since} is after --until {until}: no date is in that range. Swap them.")


def _filter_hints(index: Any, opts: dict[str, Any]) -> None:
    """Say which --leader or --topic value names nothing in the index, and what it may have meant."""
    from difflib import get_close_matches

    from searchlib.normalize import fold

    for option, facet in (("leader", "leaders"), ("topic", "topics")):
        for value in opts[option] or []:
            if index.search("", **{option: value}, limit=0, snippets=False).total:
                continue
            known = index.values(facet)
            by_folded = {fold(name).lower(): name for name in known}
            close = [by_folded[f] for f in get_close_matches(fold(value).lower(), list(by_folded), n=3, cutoff=0.8)]
            if close:
                hint = "did you mean " + " or ".join(repr(name) for name in close) + "?"
            elif facet == "topics":
                hint = "the topics are: " + ", ".join(known) + "."
            else:
                hint = "see the Leaders line of a search without --leader for the names indexed."
            click.echo(f"Note: no article has the {option} {value!r}; {hint}", err=True)


def _phrase_hint(index: Any, parsed: ParsedQuery, results: Any, opts: dict[str, Any]) -> None:
    """Sorted by date, scattered matches are no longer ranked last: say how many hold the words together.

    A name typed unquoted (Nông Đức Mạnh) also matches every article with
    "nóng", "đức" and "mạnh" anywhere; by relevance those come last, by date
    they come first.
    """
    total = results.total
    runs = [run for run in parsed.runs() if len(run) > 1]
    if len(runs) != 1 or len(runs[0]) != len(parsed.groups) or results.joined:
        return  # only a plain run of words: anything else was written with care (or read apart)
    # A word read with a mark put back stands in the phrase as read (Hà Nôi: "Hà Nội").
    phrase = '"' + " ".join(results.completed.get(clause.text, clause.text) for clause in runs[0]) + '"'
    rest = [f'-"{clause.text}"' if clause.kind == "phrase" else f"-{clause.text}" for clause in parsed.excluded]
    query = " ".join([phrase, *rest])
    together = index.search(query, limit=0, **opts).total
    if 0 < together < total:
        verb = "has" if together == 1 else "have"
        command = shlex.join(["searchlib", "search", query, *_filter_options(opts)])
        click.echo(
            f"Note: sorted by date, all {total} articles with these words count, wherever they stand; "
            f"{together} of them {verb} {phrase} as a phrase: {command} --sort date shows only those.",
            err=True,
        )


def _filter_options(opts: dict[str, Any]) -> list[str]:
    """The command-line options that give the filters in *opts* again."""
    out: list[str] = []
    for name in ("leader", "topic"):
        for value in opts.get(name) or []:
            out += [f"--{name}", value]
    for name in ("since", "until"):
        if opts.get(name) is not None:
            out += [f"--{name}", opts[name]]
    return out


def _notes(results: Any, text: str, parsed: ParsedQuery) -> None:
    if text.strip() and parsed.is_empty and not parsed.excluded:
        click.echo(f"Note: {text!r} has no words to search for; listing articles, newest first.", err=True)
    if results.relaxed:
        click.echo("Note: no article matched every word; showing articles that match most of them.", err=True)
    if results.keystrokes:
        read = ", ".join(f"{typed!r} as {word!r}" for typed, word in results.keystrokes.items())
        click.echo(f"Note: read {read}, as typed with Telex or VNI; searched for both.", err=True)
    if results.joined:
        apart = ", ".join(f"{typed!r} as {words!r}" for typed, words in results.joined.items())
        click.echo(f"Note: read {apart}, as words typed without spaces; searched for both.", err=True)
    if results.completed:
        read = ", ".join(f"{typed!r} as {word!r}" for typed, word in results.completed.items())
        click.echo(f"Note: read {read}, a mark left out; searched for that.", err=True)
    for typed, near in results.similar.items():
        click.echo(f"Note: no article has {typed!r}; also searched for {' or '.join(map(repr, near))}.", err=True)
    if results.undated:
        more = (
            "1 more matching article has" if results.undated == 1 else f"{results.undated} more matching articles have"
        )
        click.echo(f"Note: {more} no known date; --since/--until leave them out.", err=True)
    if results.duplicates:
        copies = "copy" if results.duplicates == 1 else "copies"
        click.echo(
            f"Note: left out {results.duplicates} {copies} of articles shown above (the same title and text); "
            "--duplicates shows them.",
            err=True,
        )
    if results.suggestion:
        click.echo(f"Did you mean: {results.suggestion}", err=True)
    if results.total == 0:
        click.echo(f"No results for {text!r}." if text else "No articles match these filters.", err=True)
    elif not results.hits:
        click.echo(f"No hits on this page; there are {results.total} in all.", err=True)


def write_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that write an index."""
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.option(
            "--max-deleted",
            type=click.FloatRange(0, 1),
            default=0.5,
            show_default=True,
            help="Largest share of the live articles the job may drop: an update's --prune (files gone), a rebuild "
            "(articles not in SOURCES). A folder missing or half mounted looks like deletions.",
        ),
        click.option(
            "--max-failed",
            type=click.FloatRange(0, 1),
            default=0.2,
            show_default=True,
            help="Largest share of failed sources that may still go live.",
        ),
        click.option(
            "--keep", type=click.IntRange(1), default=3, show_default=True, help="Generations kept for rollback."
        ),
        click.option("--wait", is_flag=True, help="Wait for another job writing the index instead of failing."),
        click.option(
            "--procs",
            type=click.IntRange(1, 32),
            default=None,
            help="Writer processes for a full build [default: by cores and size].",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON line on stdout."),
        index_option,
    ]
    for option in reversed(options):
        f = option(f)
    return f


@cli.command(epilog=EXIT_CODES)
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@write_options
def index(sources: tuple[str, ...], index_path: str | None, as_json: bool, **opts: Any) -> None:
    """Index SOURCES (.txt articles, folders of them, .jsonl files) into a new index.

    The new index replaces the live one only once it is complete and valid;
    searches keep answering from the old one meanwhile.
    """
    _build(sources, index_path, as_json, **opts)


@cli.command(epilog=EXIT_CODES)
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@write_options
def rebuild(sources: tuple[str, ...], index_path: str | None, as_json: bool, **opts: Any) -> None:
    """Rebuild the index from SOURCES into a new generation, then switch to it.

    The same as `index`: validated before it goes live, old generations kept
    for `searchlib rollback`.
    """
    _build(sources, index_path, as_json, **opts)


def _build(sources: tuple[str, ...], index_path: str | None, as_json: bool, **opts: Any) -> None:
    from searchlib import build_index

    _loud_pipe()
    with _json_errors(as_json), _progress(sources) as progress:
        report = build_index(sources, index_path, progress=progress, **opts)
    _report(report, as_json)


@cli.command(epilog=EXIT_CODES)
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option("--prune", is_flag=True, help="Delete articles whose source files are gone.")
@write_options
def update(sources: tuple[str, ...], index_path: str | None, as_json: bool, **opts: Any) -> None:
    """Add new and re-index changed articles of SOURCES (by content hash).

    Unchanged articles are skipped before extraction; vanished ones stay
    unless --prune is given.
    """
    from searchlib.indexer import update_index

    _loud_pipe()
    with _json_errors(as_json), _progress(sources) as progress:
        report = update_index(sources, index_path, progress=progress, **opts)
    _report(report, as_json)


@cli.command(epilog=EXIT_CODES)
@click.option("--wait", is_flag=True, help="Wait for another job writing the index instead of failing.")
@index_option
def rollback(index_path: str | None, wait: bool) -> None:
    """Make the previous generation live again."""
    from searchlib.indexer import rollback as _rollback
    from searchlib.layout import default_path

    number = _rollback(index_path, wait=wait)
    click.echo(f"{default_path(index_path)} now serves generation {number}.", err=True)


@contextmanager
def _json_errors(as_json: bool) -> Iterator[None]:
    """With --json, a failed job still prints its one JSON line (the error goes on to stderr and the exit code)."""
    try:
        yield
    except SearchlibError as exc:
        if as_json:
            from searchlib.render import dumps
            from searchlib.sources import failure_records

            failed = getattr(exc, "failed", [])
            click.echo(
                dumps(
                    {"status": "error", "error": str(exc), "failed": len(failed), "failures": failure_records(failed)}
                )
            )
        raise


@contextmanager
def _progress(sources: tuple[str, ...]) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    from searchlib.sources import count_items

    with click.progressbar(length=count_items(sources), label="Indexing", file=sys.stderr) as bar:
        state = {"done": 0}

        def advance(done: int) -> None:
            bar.update(done - state["done"])
            state["done"] = done

        yield advance


def _report(report: Any, as_json: bool) -> None:
    from searchlib.render import dumps, format_report

    for message in report.messages:
        click.echo(message, err=True)
    _list_failures(report.failed)
    if as_json:
        click.echo(dumps({"status": "partial" if report.failed else "ok", **report.summary()}))
    else:
        click.echo(format_report(report), err=True)
    if report.failed:
        # The good articles are live, but a scheduler or a script must still
        # notice the files that were left out.
        sys.exit(EXIT_PARTIAL)


@cli.command(epilog=EXIT_CODES)
@click.argument("doc_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the document as JSON.")
@index_option
def show(doc_id: str, index_path: str | None, as_json: bool) -> None:
    """Show the indexed article ID in full."""
    from searchlib import open_index
    from searchlib.render import dumps, format_document

    doc = open_index(index_path).get(doc_id)
    if doc is None:
        _fail(f"No article with id {doc_id!r}. Find ids with: searchlib search QUERY", EXIT_ERROR)
    elif as_json:
        click.echo(dumps(doc))
    else:
        click.echo(format_document(doc, _style()))  # type: ignore[arg-type]


@cli.command(epilog=EXIT_CODES)
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
def analyze(text: str, as_json: bool) -> None:
    """Show how TEXT is indexed: syllables, exact and folded forms, pyvi words."""
    from searchlib.analysis import explain
    from searchlib.render import dumps, format_analysis

    analysis = explain(text)
    click.echo(dumps(analysis) if as_json else format_analysis(analysis))


@cli.command(epilog=EXIT_CODES)
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@index_option
def stats(index_path: str | None, as_json: bool) -> None:
    """Show what the index holds."""
    from searchlib import open_index
    from searchlib.render import dumps, format_stats

    result = open_index(index_path).stats()
    click.echo(dumps(result) if as_json else format_stats(result))


@cli.command(epilog=EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="One JSON object per document (JSON Lines).")
def extract(files: tuple[str, ...], as_json: bool) -> None:
    """Show what indexing would make of FILES (raw .txt articles or .jsonl), and why."""
    from searchlib.render import dumps, format_extraction
    from searchlib.sources import Failure, Loaded, iter_documents

    failed = 0
    for item in iter_documents(files):
        if isinstance(item, Failure):
            failed += 1
            click.echo(f"Failed: {item.key}: {item.reason}", err=True)
        elif isinstance(item, Loaded):
            click.echo(dumps(item.document) if as_json else format_extraction(item.document, _style()))  # type: ignore[arg-type]
    if failed:
        sys.exit(EXIT_ERROR)


@cli.command(epilog=EXIT_CODES)
@click.option("--query", default="bí thư tỉnh ủy", show_default=True, help="The example search to run.")
@click.option(
    "--index",
    "index_path",
    type=click.Path(file_okay=False),
    default="index",
    show_default=True,
    callback=_index_path,
    help="Index directory for the sample (not $SEARCHLIB_INDEX: that names the index people search).",
)
def demo(query: str, index_path: str) -> None:
    """Index the bundled sample articles and run an example search."""
    from searchlib import build_index, open_index
    from searchlib.render import format_results

    _loud_pipe()
    # The sample replaces what it indexed before, never an index of other articles.
    try:
        report = build_index([SAMPLE], index_path, max_deleted=0)
    except TooManyDeletionsError:
        _fail(
            f"{index_path} holds an index of other articles; the demo leaves it alone. "
            "Give the demo another folder: searchlib demo --index /tmp/searchlib-demo",
            EXIT_ERROR,
        )
    _report(report, as_json=False)
    click.echo(f"$ searchlib search {query!r}\n", err=True)
    results = open_index(index_path).search(query, limit=3)
    click.echo(format_results(results, _style()))  # type: ignore[arg-type]
    click.echo(
        "\nTry: searchlib search 'hoi nghi' --since 2021, or searchlib search --leader 'Phạm Quốc Hưng'", err=True
    )


def main() -> None:
    """The console script. ``searchlib search ... | head``: when the reader goes
    away, stop as cat and grep do (killed by SIGPIPE) instead of with click's
    exit code 1. Set here, not in the commands, so that an app or a test that
    runs the CLI in its own process keeps its signal handling; the commands
    that write an index put Python's back (see :func:`_loud_pipe`).
    """
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    cli(prog_name="searchlib")


def _loud_pipe() -> None:
    """A writer must never die silently: a broken pipe (to a worker) raises, and the job reports it."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
