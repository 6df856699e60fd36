"""The command line: click wired to the library. Modules do the work; this turns results into output and
exit codes (0 all well, 1 findings that are errors, 2 usage or I/O problems)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import click

from edition import __version__
from edition.core.errors import EditionError
from edition.core.report import FORMATS, Report


class Failure(click.ClickException):
    """An ``EditionError`` shown as a one-line message, exit code 2."""

    exit_code = 2


def use_colour() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def emit(report: Report, fmt: str) -> None:
    """Print a report in the chosen format; a summary goes to stderr for text."""
    click.echo(report.render(fmt, colour=use_colour()), nl=False)
    if fmt == "github":
        report.write_github_summary()
    if fmt == "text":
        click.echo(report.summary(), err=True)


#: the benchmarks' options: where the figures go as JSON, and how many runs (medians are reported)
json_option = click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the figures to this JSON file.",
)
runs_option = click.option(
    "--runs",
    type=click.IntRange(1, 100),
    default=3,
    show_default=True,
    help="Runs of each command (the median is reported).",
)


def documents_option(help: str):
    """A benchmark's ``-n/--documents``: how many synthetic documents (10,000 unless told)."""
    return click.option(
        "-n", "--documents", "n", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True, help=help
    )


def workdir_option(help: str):
    """A benchmark's ``--workdir``: the folder it writes into (bench-out unless told)."""
    return click.option(
        "--workdir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("bench-out"),
        show_default=True,
        help=help,
    )


def schema_options(command):
    """``--schema`` and ``--schematron``: the schemas to validate against instead of the edition's."""
    command = click.option(
        "--schematron",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="An ISO Schematron schema (.sch) to use instead of the edition's.",
    )(command)
    return click.option(
        "--schema",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A RELAX NG schema (.rng) to use instead of the edition's.",
    )(command)


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How findings are written: text (path:line:col: severity: message [rule]), json, junit, github (workflow annotations), sarif.",
)


def cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's under a CPU affinity mask or in a container)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run() -> None:
    """The console script (``edition``, ``python -m edition``): ``main``, then the process ends at once.

    By then a command has written and closed what it makes (pages, reports, stores); the exit handlers still
    run (worker processes, temporary folders, logging) and the output streams are flushed. Only the
    interpreter's tear-down is skipped: freeing a large build's model object by object, and Saxon's heap,
    took a quarter of a second after the last line was printed (and 25 ms of a single-file validate), and
    changes nothing on disk."""
    import atexit
    import threading

    code: int = 0
    try:
        main()  # standalone mode: ends in SystemExit with the command's exit code
    except SystemExit as exc:
        if isinstance(exc.code, int):
            code = exc.code
        elif exc.code is not None:  # a message instead of a code (as sys.exit("...") has it)
            print(exc.code, file=sys.stderr)
            code = 1
    shutdown = getattr(threading, "_shutdown", None)  # what the interpreter runs first: threads are joined
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (edition validate | head): nothing left to say
            pass
    os._exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edition")
def main() -> None:
    """Validate and publish the TEI edition of documents of the international communist and workers' movement.

    \b
    Examples:
      edition validate                  # the whole edition
      edition validate tei/documents/x.xml --format json
      edition build --out site/
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@schema_options
@click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An OASIS XML catalog mapping the schemas named by <?xml-model?> to local files (repeatable; "
    "before those of XML_CATALOG_FILES).",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes for large corpora (default: the number of CPUs).",
)
@click.option(
    "--no-cache", is_flag=True, help="Check every file again instead of reusing the findings of unchanged files."
)
@click.option(
    "--no-xinclude",
    is_flag=True,
    help="Leave xi:include elements as they are instead of including the files they name.",
)
@click.option(
    "--max-bytes",
    metavar="SIZE",
    default=None,
    help="Refuse files larger than SIZE (e.g. 2G, 500M; default 1G, or EDITION_MAX_BYTES).",
)
@click.option(
    "--engine",
    type=click.Choice(["lxml", "jing"]),
    default="lxml",
    show_default=True,
    help="Who checks RELAX NG: lxml (libxml2, in this process) or jing (Java, where installed; RELAX NG only, "
    "no Schematron or corpus checks; the edition's schema unless --schema).",
)
@click.option(
    "--daemon",
    is_flag=True,
    help="Use a warm server process that keeps the compiled schemas (started by the first such run, stopped "
    "after 15 minutes unused): repeated runs then skip the schemas' compilation.",
)
@click.option(
    "--daemon-stop",
    is_flag=True,
    help="Stop the warm server of these schemas (--schema/--schematron, as given to --daemon) and exit.",
)
@format_option
def validate(
    paths: tuple[Path, ...],
    schema: Path | None,
    schematron: Path | None,
    catalogs: tuple[Path, ...],
    strict: bool,
    jobs: int | None,
    no_cache: bool,
    no_xinclude: bool,
    max_bytes: str | None,
    engine: str,
    daemon: bool,
    daemon_stop: bool,
    fmt: str,
) -> None:
    """Check TEI files: RELAX NG, then Schematron, then corpus checks.

    PATHS are files or folders (searched for *.xml); by default the edition's tei/ folder. With --schema
    and/or --schematron only those schemas are applied, to any XML. Without them, a file outside the
    edition's tei/ folder whose <?xml-model?> instructions name other schemas is checked with those (a
    remote href only through an OASIS XML catalog: --catalog, XML_CATALOG_FILES; nothing is fetched).

    \b
    Examples:
      edition validate
      edition validate tei/documents/2023-08-31-withdrawal-from-initiative.xml
      edition validate --format github tei/
      edition validate --schema tei_all.rng my-corpus/
      edition validate --engine jing --schema tei_all.rng my-corpus/
      edition validate --catalog my-catalog.xml other-project/letter.xml
      edition validate --daemon --schema tei_all.rng my-corpus/
      edition validate --daemon-stop --schema tei_all.rng
    """
    from edition.core import resources
    from edition.core.xmlio import parse_size

    if max_bytes is not None:
        if parse_size(max_bytes) is None:
            raise click.UsageError(f"--max-bytes takes a size such as 500M or 2G; got {max_bytes!r}")
        os.environ["EDITION_MAX_BYTES"] = max_bytes  # read by this process and its workers
    if no_xinclude:
        os.environ["EDITION_XINCLUDE"] = "0"
    if daemon_stop:
        from edition.validate import daemon as server

        stopped = server.stop(schema, schematron)
        click.echo("stopped the server" if stopped else "no server was running for these schemas")
        sys.exit(0)
    targets = list(paths) or [resources.edition_tei()]
    if daemon and engine == "lxml":  # before importing the validator: the client stays light
        from edition.validate import daemon as server

        try:
            report, io_problem = server.request(schema, schematron, targets, jobs or cpus(), not no_cache)
        except EditionError as exc:
            raise Failure(str(exc)) from None
        emit(report, fmt)
        sys.exit(2 if io_problem else report.exit_code(strict))
    from edition.core.corpus import Corpus
    from edition.validate import association
    from edition.validate.catalog import Resolver
    from edition.validate.validator import Validator, exit_code

    if engine == "jing":
        from edition.validate import jing

        if schematron is not None:
            raise click.UsageError("--engine jing checks RELAX NG only: leave out --schematron")
        try:
            corpus = Corpus.load(targets)
            report = jing.run(
                schema or resources.schema_file("edition.rng"),
                [(f.path, f.display) for f in corpus.files],
                corpus.problems,
            )
        except EditionError as exc:
            raise Failure(str(exc)) from None
        emit(report, fmt)
        sys.exit(exit_code(report, strict))
    try:
        if len(targets) == 1 and Path(targets[0]).is_dir():  # a corpus: its edition.toml and layout count
            validator = Validator.for_corpus(Path(targets[0]), schema, schematron)
        else:
            validator = Validator.for_schemas(schema, schematron)
        validator.jobs = jobs or cpus()
        if not no_cache:
            validator.use_cache()
        if schema is None and schematron is None:
            report = association.run(
                Corpus.load(targets),
                validator,
                Resolver.from_environment(catalogs),
                resources.edition_tei(),
                jobs=validator.jobs,
            )
        else:
            report = validator.run(Corpus.load(targets))
    except EditionError as exc:
        raise Failure(str(exc)) from None
    emit(report, fmt)
    sys.exit(exit_code(report, strict))


def _parts(value: str) -> tuple[str, ...]:
    from edition.publish.build import PARTS

    parts = tuple(p.strip() for p in value.split(",") if p.strip())
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise click.UsageError(f"--only takes a comma-separated list of {', '.join(PARTS)}; got {value!r}")
    return parts


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder to write the site into (replaced as a whole at the end).",
)
@click.option(
    "--tei",
    "tei_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The corpus to build (default: the edition's tei/).",
)
@click.option(
    "--only",
    default=None,
    help="Which parts to render: any of web, text, print, data (the exchange formats), comma-separated "
    "(default: the outputs of the corpus's edition.toml, else all four).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes for validating and rendering large corpora (default: the number of CPUs).",
)
@click.option("--review", is_flag=True, help="Mark machine-made tags and lint findings on the document pages.")
@click.option(
    "--base-url",
    default="",
    metavar="URL",
    help="The address the site is published at (https://...): pages, passages and citations get absolute "
    "addresses, canonical links and a sitemap.xml. Default: the corpus header's publicationStmt/idno[@type='URI'].",
)
@click.option(
    "--wait",
    type=click.FloatRange(0),
    default=0,
    metavar="SECONDS",
    help="If another build is writing into the same folder, wait this long for it to end (default: exit 2 at once).",
)
@click.option(
    "--schema",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Validate against this RELAX NG schema (.rng) instead of the edition's (no corpus rules then).",
)
@click.option(
    "--schematron",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Validate against this ISO Schematron schema (.sch) instead of the edition's.",
)
def build(
    out: Path,
    tei_dir: Path | None,
    only: str | None,
    jobs: int | None,
    review: bool,
    base_url: str,
    wait: float,
    schema: Path | None,
    schematron: Path | None,
) -> None:
    """Validate the sources, then render the web, text and print editions and the exchange formats (data/).

    Nothing is written if the sources have errors (the findings are printed, exit 1); the site is built in
    a temporary folder and swapped in at the end, so the previous site stays whole if the build fails.
    A full disk, a folder that cannot be written, an interruption or another build writing into the same
    folder end the build with a message and exit 2, the previous site whole.

    \b
    Examples:
      edition build
      edition build --out /tmp/site --only web,text
      edition build --tei other-corpus/tei --out other-site
      edition build --base-url https://example.org/edition/
    """
    from edition.core import resources
    from edition.publish.build import BuildFailed
    from edition.publish.build import build as run_build
    from edition.publish.web.citation import BadBaseURL, normalise_base_url

    parts = _parts(only) if only is not None else None
    try:
        normalise_base_url(base_url)
    except BadBaseURL as exc:
        raise click.UsageError(str(exc)) from None
    stats: dict = {}
    lint = None
    if review:
        from edition.encode.lint import review_json as lint

    def stop(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, stop)  # an interruption tidies up like Ctrl-C: no working folder left
    try:
        report = run_build(
            tei_dir or resources.edition_tei(),
            out,
            only=parts,
            jobs=jobs or cpus(),
            review=lint,
            stats=stats,
            base_url=base_url,
            wait=wait,
            schema=schema,
            schematron=schematron,
        )
    except KeyboardInterrupt:
        raise Failure(f"build interrupted; the site in {out} was left as it was") from None
    except BuildFailed as failed:
        emit(failed.report, "text")
        click.echo("build refused: the sources have errors; the previous site was left as it was", err=True)
        sys.exit(1)
    except EditionError as exc:
        raise Failure(str(exc)) from None
    if report.warnings:
        emit(report, "text")
    web = stats.get("web")
    if web:
        click.echo(
            f"web: {web['rendered']} pages rendered, {web['carried']} unchanged (kept from the previous site)", err=True
        )
    data = stats.get("data")
    if data:
        click.echo(
            f"data: {len(data['made'])} files made, {data['carried']} unchanged (kept from the previous site)", err=True
        )
    click.echo(f"built {', '.join(stats.get('parts', parts or ()))} into {out}", err=True)


def _bench_report(measure, *args, json_out: Path | None) -> None:
    """Run a benchmark (``measure(*args)`` gives its table and figures), print the table, write the JSON."""
    from edition.bench.measure import write_json

    try:
        text, data = measure(*args)
    except EditionError as exc:
        raise Failure(str(exc)) from None
    click.echo(text)
    write_json(data, json_out)


@main.group()
def bench() -> None:
    """Benchmarks that print a table (and write it as JSON with --json).

    \b
    Examples:
      edition bench startup
      edition bench startup tei/documents/2011-05-05-resolution-korean-peninsula.xml --runs 20
    """


@bench.command("startup")
@click.argument("document", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--runs",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Timed runs of each command (after one warm-up).",
)
@json_option
def bench_startup(document: Path | None, runs: int, json_out: Path | None) -> None:
    """Whole-process time of `edition validate FILE` against `jing edition.rng FILE`.

    \b
    Examples:
      edition bench startup
      edition bench startup --runs 30 --json startup.json
    """
    from edition.bench.measure import startup

    _bench_report(startup, document, runs, json_out=json_out)


@bench.command("corpus")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--schema",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The RELAX NG schema (.rng) both tools validate against.",
)
@runs_option
@json_option
def bench_corpus(folder: Path, schema: Path, runs: int, json_out: Path | None) -> None:
    """jing against `edition validate --schema` on a corpus: wall time, memory, verdicts.

    jing runs over every file in one Java process; edition validate runs with an empty result cache, then
    again with nothing changed. The table says for each the files it found invalid and how many verdicts
    agree with jing's.

    \b
    Examples:
      edition bench corpus ../corpora/plays --schema tei_all.rng
      edition bench corpus my-corpus/ --schema my-schema.rng --runs 5 --json bench.json
    """
    from edition.bench.corpus import corpus

    _bench_report(corpus, folder, schema, runs, json_out=json_out)


@bench.command("peer")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--stylesheets",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The folder of the TEI Stylesheets (TEIC/Stylesheets), with profiles/default/html5/to.xsl.",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where both write their pages, each run in a folder of its own (run-N; the last run's is kept; "
    "default: a temporary folder, removed after). Both write to the same disk: on a slow one, the time to "
    "create files weighs on the side that writes more.",
)
@runs_option
@json_option
def bench_peer(folder: Path, stylesheets: Path, workdir: Path | None, runs: int, json_out: Path | None) -> None:
    """Our whole web build of a corpus beside the TEI Stylesheets' html5 profile on it.

    The Stylesheets' profile runs through the same saxonche, in one process, compiled once, over every .xml
    file below FOLDER (document pages only); `edition build --only web` builds the same corpus from nothing
    (documents, registers, chronology, search index). Each runs RUNS times, in turn; the table gives the
    medians of wall time, CPU time and peak memory, the pages written, and the ratio of the two times.

    \b
    Examples:
      edition bench peer ../corpora/plays --stylesheets ../peers/tei-stylesheets
      edition bench peer my-corpus/ --stylesheets ~/src/Stylesheets --runs 5 --json peer.json
      edition bench peer ../corpora/letters --stylesheets ../peers/tei-stylesheets --workdir /dev/shm/bench
    """
    from edition.bench.peer import peer

    _bench_report(peer, folder, stylesheets, runs, workdir, json_out=json_out)


@bench.command("scale")
@documents_option("How many synthetic documents to generate.")
@workdir_option("Where the synthetic corpus and its site are written (replaced).")
@click.option(
    "--sample",
    type=click.IntRange(1, 100_000),
    default=50,
    show_default=True,
    help="Documents timed one process each for the per-file pipeline.",
)
@click.option(
    "--print-documents",
    "with_print",
    type=click.IntRange(0, 100_000),
    default=100,
    show_default=True,
    help="Documents in the print-edition measurement (0: skip it).",
)
@json_option
def bench_scale(n: int, workdir: Path, sample: int, with_print: int, json_out: Path | None) -> None:
    """Validation and build at scale, side by side with jing and a per-file pipeline.

    Generates N synthetic documents from the edition's own, then measures, each in its own process:
    jing over all files in one Java process; edition validate with RELAX NG only and with all checks;
    one process per document (a sample, extrapolated); a web + text build; a rebuild after one change;
    the print edition of a smaller corpus; and single-file start-up.

    \b
    Examples:
      edition bench scale -n 10000 --json bench.json
      edition bench scale -n 500 --print-documents 0
    """
    from edition.bench.measure import scale

    _bench_report(scale, n, workdir, sample, with_print, json_out=json_out)


@bench.command("lsp")
@documents_option("How many synthetic documents the second corpus has.")
@click.option(
    "--edits",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="Timed edits of each kind (a word typed, a half-typed tag) and completions.",
)
@workdir_option("Where the copies of the corpora and the server logs are written (replaced).")
@json_option
def bench_lsp(n: int, edits: int, workdir: Path, json_out: Path | None) -> None:
    """The language server as an editor sees it: `edition lsp` over stdio, on the embedded edition and N
    synthetic documents.

    Measures the first diagnostics after opening a document, the time from a change to its diagnostics
    (a word typed, a half-typed tag, a burst of keystrokes, another file changed on disk), completion
    latency, and the server's memory.

    \b
    Examples:
      edition bench lsp
      edition bench lsp -n 1000 --json lsp.json
    """
    from edition.bench.lsp import run

    _bench_report(run, n, workdir, edits, json_out=json_out)


# -- tools for encoders and reviewers: new, lint, stats, bench new -------------------------------------

tei_option = click.option(
    "--tei",
    "tei_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The corpus whose authority files are used (default: the edition's tei/).",
)


@main.command("new")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--genre",
    type=click.Choice(["press-release", "letter", "resolution"]),
    help="The genre (catRef); guessed from the text if not given.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the TEI to this file instead of standard output.",
)
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@click.option(
    "--id", "doc_id", help="The document's xml:id (default: a word of the title and the year, e.g. press2000)."
)
@tei_option
def new_command(
    source: Path, genre: str | None, out: Path | None, force: bool, doc_id: str | None, tei_dir: Path | None
) -> None:
    """Make a TEI document from a plain text, with known names and dates proposed for review.

    The header is filled from what the text gives (title from the first line, the source file name as
    idno type="source-file", the date, the genre) and the rest is marked TODO. Paragraphs get their ids;
    every name of a record of the authority files and every date is tagged, each tag marked
    resp="edition:edition-new" for review. Capitalised words that match no record are listed on standard
    error and in a comment of the header. Nothing is written unless --out says where (an existing file is
    kept unless --force). The document is made to live in tei/documents/.

    \b
    Examples:
      edition new tei/sources/002_a141b23093aaef78.txt
      edition new letter.txt --genre letter --out tei/documents/2023-08-31-withdrawal.xml
      edition new text.txt --tei other-corpus/tei --id minutes1999 --out draft.xml --force
    """
    from edition.core import resources
    from edition.core.corpus import Corpus
    from edition.encode.new import make_document, read_source, write_document

    tei = tei_dir or resources.edition_tei()
    if out is not None and out.exists() and not force:
        raise click.UsageError(f"{out} exists; pass --force to replace it")
    try:
        authority = tei / "authority"
        corpus = Corpus.load(
            [authority, tei / "edition.xml"] if authority.is_dir() and (tei / "edition.xml").is_file() else [tei]
        )
        doc = make_document(read_source(source), source.name, corpus=corpus, genre=genre, doc_id=doc_id)
        if out is not None:
            write_document(doc, out, force=force)
    except EditionError as exc:
        raise Failure(str(exc)) from None
    if out is None:
        click.echo(doc.xml.decode("utf-8"), nl=False)
    notes = [f'{doc.proposals} tags proposed (resp="edition:edition-new"), genre {doc.genre}, id {doc.doc_id}']
    if doc.candidates:
        notes.append("names not in the authority files (candidates): " + "; ".join(doc.candidates))
    for form, refs in doc.ambiguous:
        notes.append(f"left untagged, a name of several records: {form} ({' | '.join(refs)})")
    for item in doc.todo:
        notes.append(f"TODO {item}")
    notes.append(f"written to {out}" if out is not None else f"suggested file: tei/documents/{doc.suggested_name}")
    for line in notes:
        click.echo(line, err=True)


@main.command("lsp")
@schema_options
@click.option(
    "--workspace",
    "root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The folder of the corpus (default: the workspace folder the editor opens).",
)
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only transport).")
def lsp_command(schema: Path | None, schematron: Path | None, root: Path | None, stdio: bool) -> None:
    """Run the language server for editors (Language Server Protocol over stdio).

    Diagnostics as you type (well-formedness, RELAX NG, Schematron, corpus checks, lint as hints),
    completion of elements, attributes, values and pointers to records, hover, go to definition, find
    references and the outline. See the README for VS Code, Neovim and Emacs.

    \b
    Examples:
      edition lsp
      edition lsp --schema tei_all.rng
    """
    from edition.encode.lsp.server import serve

    try:
        serve(schema, schematron, root)
    except EditionError as exc:
        raise Failure(str(exc)) from None


@main.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@tei_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@format_option
def lint_command(paths: tuple[Path, ...], tei_dir: Path | None, strict: bool, fmt: str) -> None:
    """What a reviewer should look at: untagged names and dates, inconsistent refs, unused records.

    PATHS are files or folders to lint (default: the whole corpus); names are looked up in the authority
    files of --tei. Rules: lint-untagged-name, lint-inconsistent-ref, lint-untagged-date,
    lint-wrong-kind, lint-unknown-ref, lint-unused-record, lint-machine-tag (tags proposed by edition new
    and not reviewed), lint-todo. Exit codes as for validate: 0 all well, 1 errors (warnings too with
    --strict), 2 usage or I/O problems.

    \b
    Examples:
      edition lint
      edition lint tei/documents/2011-05-05-resolution-korean-peninsula.xml --strict
      edition lint draft.xml --format github
    """
    from edition.core import resources
    from edition.encode.lint import lint_paths
    from edition.validate.validator import exit_code

    try:
        report = lint_paths(list(paths), tei_dir or resources.edition_tei())
    except EditionError as exc:
        raise Failure(str(exc)) from None
    emit(report, fmt)
    sys.exit(exit_code(report, strict))


@main.command("stats")
@tei_option
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="A table, or JSON."
)
def stats_command(tei_dir: Path | None, fmt: str) -> None:
    """Counts per document and for the corpus: words, mentions per entity type, distinct entities, dates.

    Counted in the words of the source: editorial notes are left out.

    \b
    Examples:
      edition stats
      edition stats --format json > stats.json
      edition stats --tei other-corpus/tei
    """
    from edition.core import resources
    from edition.core.corpus import Corpus
    from edition.encode.stats import render, stats

    tei = tei_dir or resources.edition_tei()
    try:
        corpus = Corpus.load([tei])
        data = stats(corpus)
    except EditionError as exc:
        raise Failure(str(exc)) from None
    if not data["documents"]:
        raise Failure(f"{tei} holds no document (a TEI file with a text)")
    click.echo(render(data, fmt), nl=False)


@bench.command("new")
@tei_option
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the figures (and the missed and wrong tags) to this JSON file.",
)
@click.option("--details", is_flag=True, help="List the hand tags missed and the proposals that match none.")
def bench_new(tei_dir: Path | None, json_out: Path | None, details: bool) -> None:
    """Recall and precision of `edition new` against the hand encoding, per type.

    Runs edition new on each text of tei/sources/ and compares, by position in the text, its proposals
    with the tags of the hand-encoded document that names the source (idno type="source-file"): the same
    refs for names, the same value for dates.

    \b
    Examples:
      edition bench new
      edition bench new --json new.json --details
    """
    from edition.bench.measure import write_json
    from edition.bench.new import TYPES, run

    try:
        text, data = run(tei_dir)
    except EditionError as exc:
        raise Failure(str(exc)) from None
    click.echo(text)
    if details:
        for t in TYPES:
            for m in data["total"][t]["missed"]:
                click.echo(f"missed {t}: {m}")
            for w in data["total"][t]["wrong"]:
                click.echo(f"wrong {t}: {w}")
    write_json(data, json_out)
