"""What every renderer of one build shares (``BuildContext``): the corpus, Saxon stylesheets compiled once,
the previous site for incremental rebuilds, and the statistics each part reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from edition.core import resources, saxon
from edition.core.config import Config
from edition.core.corpus import Corpus


@dataclass
class BuildContext:
    """What every renderer of one build shares."""

    tei_dir: Path
    corpus: Corpus
    jobs: int = 1
    review: bool = False
    #: with ``review``: the findings the review view marks (JSON, ``encode.lint.review_json``), made by the caller
    review_findings: str = "{}"
    previous: Path | None = None  # the site being replaced, for incremental rebuilds
    #: the address the site is published at (``--base-url``; '' for the corpus header's, or none)
    base_url: str = ""
    #: the corpus's edition.toml (core.config; empty when there is none)
    config: Config = field(default_factory=Config)
    #: the parts this build renders (``--only``; the others are carried over from the previous site)
    parts: tuple[str, ...] = ()
    stats: dict = field(default_factory=dict)  # what each renderer reports (pages rendered, carried over, times)
    _stylesheets: dict = field(default_factory=dict)

    def stylesheet(self, name: str):
        """A stylesheet of ``xslt/``, compiled once per build."""
        if name not in self._stylesheets:
            self._stylesheets[name] = saxon.compile_stylesheet(path=resources.stylesheet(name))
        return self._stylesheets[name]
