"""``edition.toml``: the configuration of a corpus that does not follow this edition's layout.

The file sits at the corpus root (the folder given to ``edition build --tei`` or ``edition validate``). Every
key is optional; what the file does not set comes from the corpus header, the command line or the defaults::

    title = "Four Fictional Pieces"        # the site's title (else the corpus header's titleStmt/title)
    subtitle = "A test corpus"
    version = "1.0"                        # shown as "Version 1.0" (else editionStmt/edition/@n)
    base_url = "https://example.org/ed/"   # as --base-url (which wins)
    licence = "CC BY 4.0"                  # the licence's name
    licence_url = "https://creativecommons.org/licenses/by/4.0/"
    outputs = ["web", "text"]              # the parts built when --only is not given
    registers = ["person", "place"]        # the kinds of record shown as registers (default: every kind found)
    authority = ["lists/people.xml"]       # separate files with listPerson/listPlace/listOrg (below the root)

    [validation]
    schema = "tei_all.rng"                 # RELAX NG, relative to this file (as --schema, which wins)
    schematron = "rules.sch"               # ISO Schematron (as --schematron)
    corpus_rules = false                   # ids unique across files, every record used (default: only in
                                           # this edition's own layout)

A bad file is refused with ``edition.toml:line:col: message`` (exit 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from edition.core import kinds
from edition.core.errors import EditionError

CONFIG_NAME = "edition.toml"
#: the parts of a build (publish.build.PARTS; repeated here as core imports no other stage)
OUTPUTS = ("web", "text", "print", "data")
#: the kinds of record a register can show (core.kinds)
REGISTER_KINDS = tuple(k.name for k in kinds.KINDS)


class ConfigError(EditionError):
    """``edition.toml`` cannot be read or holds a bad value: the message starts with file:line:col."""


@dataclass
class Config:
    path: Path | None = None
    title: str = ""
    subtitle: str = ""
    version: str = ""
    base_url: str = ""
    licence: str = ""
    licence_url: str = ""
    outputs: tuple[str, ...] = ()
    registers: tuple[str, ...] = ()
    authority: tuple[Path, ...] = ()
    schema: Path | None = None
    schematron: Path | None = None
    corpus_rules: bool | None = None
    unknown: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path | None:
        return self.path.parent if self.path is not None else None


_STRINGS = ("title", "subtitle", "version", "base_url", "licence", "licence_url")
_TOP = set(_STRINGS) | {"outputs", "registers", "authority", "validation"}
_VALIDATION = {"schema", "schematron", "corpus_rules"}


def _where(text: str, key: str, table: str | None = None) -> tuple[int, int]:
    """The line and column of ``key = `` in the file (in ``[table]`` if given): tomllib gives no places for
    values, so the key is looked for in the text; (1, 1) if not found."""
    lines = text.splitlines()
    start = 0
    if table is not None:
        for i, line in enumerate(lines):
            if re.match(rf"\s*\[\s*{re.escape(table)}\s*\]", line):
                start = i + 1
                break
    pattern = re.compile(rf"^(\s*)[\"']?{re.escape(key)}[\"']?\s*=")
    for i in range(start, len(lines)):
        m = pattern.match(lines[i])
        if m:
            return i + 1, len(m.group(1)) + 1
        if table is None and re.match(r"\s*\[", lines[i]):
            break
    return 1, 1


def find_config(folder: Path) -> Path | None:
    """The ``edition.toml`` of a corpus root, or None."""
    candidate = Path(folder) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load_config(folder: Path) -> Config:
    """The configuration at ``folder`` (an empty one if there is no ``edition.toml``). Raises ConfigError."""
    path = find_config(folder)
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}:1:1: cannot read the configuration: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (m.group(1), m.group(2)) if m else ("1", "1")
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(f"{path}:{line}:{col}: not valid TOML: {reason}") from None
    return _from_data(path, text, data)


def _from_data(path: Path, text: str, data: dict) -> Config:
    cfg = Config(path=path)
    base = path.parent

    def fail(key: str, message: str, table: str | None = None) -> ConfigError:
        line, col = _where(text, key, table)
        return ConfigError(f"{path}:{line}:{col}: {message}")

    for key in data:
        if key not in _TOP:
            raise fail(key, f"unknown key '{key}'; {path.name} knows {', '.join(sorted(_TOP))}")
    for key in _STRINGS:
        if key in data:
            value = data[key]
            if not isinstance(value, str):
                raise fail(key, f"'{key}' must be a string (in quotes)")
            setattr(cfg, key, value.strip())

    def names(key: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, f"'{key}' must be a list of strings, e.g. {key} = [\"{(allowed or ('a',))[0]}\"]")
        if allowed is not None:
            bad = [v for v in value if v not in allowed]
            if bad:
                raise fail(key, f"'{key}': unknown value '{bad[0]}'; choose from {', '.join(allowed)}")
        return tuple(dict.fromkeys(value))

    cfg.outputs = names("outputs", OUTPUTS)
    if "outputs" in data and not cfg.outputs:
        raise fail("outputs", "'outputs' is empty; leave it out to build every part")
    cfg.registers = names("registers", REGISTER_KINDS)
    files = []
    for rel in names("authority", None):
        p = (base / rel).resolve()
        if not p.is_file():
            raise fail("authority", f"'authority': no such file {rel} (relative to {base})")
        files.append(p)
    cfg.authority = tuple(files)

    validation = data.get("validation", {})
    if not isinstance(validation, dict):
        raise fail("validation", "'validation' must be a table: [validation] on a line of its own")
    for key, value in validation.items():
        if key not in _VALIDATION:
            raise fail(
                key, f"unknown key '{key}' in [validation]; it knows {', '.join(sorted(_VALIDATION))}", "validation"
            )
    for key in ("schema", "schematron"):
        if key in validation:
            value = validation[key]
            if not isinstance(value, str) or not value.strip():
                raise fail(key, f"'{key}' must be the path of a file (a string)", "validation")
            p = (base / value).resolve()
            if not p.is_file():
                raise fail(key, f"'{key}': no such file {value} (relative to {base})", "validation")
            setattr(cfg, key, p)
    if "corpus_rules" in validation:
        if not isinstance(validation["corpus_rules"], bool):
            raise fail("corpus_rules", "'corpus_rules' must be true or false", "validation")
        cfg.corpus_rules = validation["corpus_rules"]
    return cfg


def is_edition_layout(folder: Path) -> bool:
    """Whether a corpus follows this edition's own layout (``documents/``, ``authority/``, ``edition.xml``):
    then its corpus rules apply unless ``edition.toml`` says otherwise."""
    folder = Path(folder)
    return (folder / "authority").is_dir() or (folder / "edition.xml").is_file() or (folder / "documents").is_dir()
