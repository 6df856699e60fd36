"""The command line: click wired to the library. Modules do the work; this turns results into output and
exit codes (0 all well, 1 findings that are errors, 2 usage or I/O problems)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from edition import __version__
from edition.errors import EditionError
from edition.report import FORMATS, Report


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


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How findings are written: text (path:line:col: severity: message [rule]), json, junit, github (workflow annotations), sarif.",
)


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
@click.option("--schema", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A RELAX NG schema (.rng) to use instead of the edition's.")
@click.option("--schematron", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="An ISO Schematron schema (.sch) to use instead of the edition's.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@format_option
def validate(paths: tuple[Path, ...], schema: Path | None, schematron: Path | None, strict: bool, fmt: str) -> None:
    """Check TEI files: RELAX NG, then Schematron, then corpus checks.

    PATHS are files or folders (searched for *.xml); by default the edition's tei/ folder. With --schema
    and/or --schematron only those schemas are applied, to any XML.

    \b
    Examples:
      edition validate
      edition validate tei/documents/2023-08-31-withdrawal-from-initiative.xml
      edition validate --format github tei/
      edition validate --schema tei_all.rng my-corpus/
    """
    from edition import resources
    from edition.corpus import Corpus
    from edition.validate import Validator, exit_code

    targets = list(paths) or [resources.edition_tei()]
    try:
        validator = Validator.for_schemas(schema, schematron)
        report = validator.run(Corpus.load(targets))
    except EditionError as exc:
        raise Failure(str(exc)) from None
    emit(report, fmt)
    sys.exit(exit_code(report, strict))


def _parts(value: str) -> tuple[str, ...]:
    from edition.build import PARTS

    parts = tuple(p.strip() for p in value.split(",") if p.strip())
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise click.UsageError(f"--only takes a comma-separated list of {', '.join(PARTS)}; got {value!r}")
    return parts


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True, help="Folder to write the site into (replaced as a whole at the end).")
@click.option("--tei", "tei_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None, help="The corpus to build (default: the edition's tei/).")
@click.option("--only", default="web,text,print", show_default=True, help="Which editions to render: any of web, text, print, comma-separated.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Parallel rendering jobs.")
@click.option("--review", is_flag=True, help="Mark machine-made tags and lint findings on the document pages.")
def build(out: Path, tei_dir: Path | None, only: str, jobs: int, review: bool) -> None:
    """Validate the sources, then render the web, text and print editions.

    Nothing is written if the sources have errors (the findings are printed, exit 1); the site is built in
    a temporary folder and swapped in at the end, so the previous site stays whole if the build fails.

    \b
    Examples:
      edition build
      edition build --out /tmp/site --only web,text
      edition build --tei other-corpus/tei --out other-site
    """
    from edition import resources
    from edition.build import BuildFailed
    from edition.build import build as run_build

    parts = _parts(only)
    try:
        report = run_build(tei_dir or resources.edition_tei(), out, only=parts, jobs=jobs, review=review)
    except BuildFailed as failed:
        emit(failed.report, "text")
        click.echo("build refused: the sources have errors; the previous site was left as it was", err=True)
        sys.exit(1)
    except EditionError as exc:
        raise Failure(str(exc)) from None
    if report.warnings:
        emit(report, "text")
    click.echo(f"built {', '.join(parts)} into {out}", err=True)


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
@click.option("--runs", type=click.IntRange(1, 1000), default=10, show_default=True, help="Timed runs of each command (after one warm-up).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the figures to this JSON file.")
def bench_startup(document: Path | None, runs: int, json_out: Path | None) -> None:
    """Whole-process time of `edition validate FILE` against `jing edition.rng FILE`.

    \b
    Examples:
      edition bench startup
      edition bench startup --runs 30 --json startup.json
    """
    from edition.bench import startup, write_json

    try:
        text, data = startup(document, runs)
    except EditionError as exc:
        raise Failure(str(exc)) from None
    click.echo(text)
    write_json(data, json_out)
