"""Derive ``data/catalog.json`` and ``data/history.json`` from the bundled snapshot.

``data/SOURCE.md`` names the snapshot and its origin in ``- key: value`` lines
(``url``, ``date``, ``license``, ``file``). The catalog is the parse of that
snapshot; the history comes from the README of every release (see
``listbot.databuild.release_readmes``). Output is deterministic, so building twice from the same
inputs gives byte-identical files, and each file is written to a temporary
file and renamed into place.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from listbot.catalog.bundle import CATALOG_FILE, HISTORY_FILE, SOURCE_FILE, Source
from listbot.catalog.compact import catalog_to_compact, history_to_compact
from listbot.catalog.history import Release, build_history
from listbot.catalog.model import Catalog
from listbot.catalog.parse import parse_catalog

_SOURCE_LINE = re.compile(r"^-\s+(url|date|license|file):\s*(\S.*?)\s*$", re.M)


class DataError(ValueError):
    """``data/`` lacks what a build needs (its SOURCE.md or snapshot)."""


def read_source(directory: Path) -> Source:
    """The snapshot's origin, from the ``- key: value`` lines of SOURCE.md."""
    path = directory / SOURCE_FILE
    try:
        found = dict(_SOURCE_LINE.findall(path.read_text(encoding="utf-8")))
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None
    missing = [key for key in ("url", "date", "license", "file") if key not in found]
    if missing:
        raise DataError(f"{path} lacks the line(s) {', '.join('- ' + k + ':' for k in missing)}")
    return Source(**found)


def render(directory: Path, releases: Sequence[tuple[Release, str]]) -> dict[str, bytes]:
    """The derived files' contents, by file name (nothing is written)."""
    source = read_source(directory)
    catalog = read_snapshot(directory, source)
    return {
        CATALOG_FILE: render_catalog(catalog, source),
        HISTORY_FILE: render_history(catalog, releases),
    }


def read_snapshot(directory: Path, source: Source) -> Catalog:
    """The parsed snapshot named by SOURCE.md."""
    snapshot = directory / source.file
    try:
        text = snapshot.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"cannot read the snapshot {snapshot}: {error}") from None
    return parse_catalog(text)


def render_catalog(catalog: Catalog, source: Source) -> bytes:
    """``catalog.json``: the source and the compact catalog."""
    return dumps({"source": _source_json(source), **catalog_to_compact(catalog)}, ("papers",))


def render_history(catalog: Catalog, releases: Sequence[tuple[Release, str]]) -> bytes:
    """``history.json``: the releases and what each added, with ids of ``catalog``."""
    versions = [(release, parse_catalog(body)) for release, body in releases]
    history = build_history(versions, catalog)
    return dumps(history_to_compact(history), list_keys=("releases", "former"))


def build(directory: Path, releases: Sequence[tuple[Release, str]]) -> list[Path]:
    """Write the derived files into ``directory``; return the paths that changed."""
    written: list[Path] = []
    for name, content in render(directory, releases).items():
        path = directory / name
        if path.is_file() and path.read_bytes() == content:
            continue
        _write_atomically(path, content)
        written.append(path)
    return written


def stale(directory: Path, releases: Sequence[tuple[Release, str]]) -> list[str]:
    """Names of the derived files that differ from a fresh build."""
    fresh = render(directory, releases)
    return [
        name
        for name, content in fresh.items()
        if not (directory / name).is_file() or (directory / name).read_bytes() != content
    ]


def dumps(data: dict[str, Any], list_keys: Sequence[str] = ()) -> bytes:
    """Deterministic JSON: one line per top-level key, one per item of ``list_keys``."""
    lines = ["{"]
    for n, (key, value) in enumerate(data.items()):
        comma = "," if n < len(data) - 1 else ""
        name = json.dumps(key)
        if key in list_keys and value:
            items = ",\n".join("  " + _compact(item) for item in value)
            lines.append(f" {name}: [\n{items}\n ]{comma}")
        else:
            lines.append(f" {name}: {_compact(value)}{comma}")
    lines.append("}\n")
    return "\n".join(lines).encode("utf-8")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _source_json(source: Source) -> dict[str, str]:
    return {"url": source.url, "date": source.date, "license": source.license, "file": source.file}


def _write_atomically(path: Path, content: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
