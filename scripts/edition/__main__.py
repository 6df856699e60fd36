"""Run the command line as ``python -m edition``."""

from edition.cli import run

run()
