"""The bundled list: the catalog and release history that ship in ``data/``.

``load_bundled()`` is what the bot answers from when no other version of the list
is given. It reads the derived files that ``listbot data build`` writes
(``catalog.json`` and ``history.json``, see ``listbot.catalog.compact``), never the
markdown, so it costs a few milliseconds. ``data/`` is found beside the source
tree, or inside the installed package as ``listbot/_data`` (wheels include it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from listbot.catalog.compact import catalog_from_compact, history_from_compact
from listbot.catalog.history import History
from listbot.catalog.model import Catalog

CATALOG_FILE = "catalog.json"
HISTORY_FILE = "history.json"
SOURCE_FILE = "SOURCE.md"


@dataclass(frozen=True, slots=True)
class Source:
    """Where the bundled snapshot comes from."""

    url: str
    """The list's repository."""
    date: str
    """The day the snapshot was taken from the main branch (``YYYY-MM-DD``)."""
    license: str
    """The list's license (SPDX), which the bundled copy keeps."""
    file: str
    """The snapshot's file name inside ``data/``."""


@dataclass(frozen=True, slots=True)
class Bundle:
    """The bundled catalog, its release history and its source."""

    catalog: Catalog
    history: History
    source: Source


def data_dir() -> Path:
    """The ``data/`` directory: the source tree's, else the installed package's."""
    tree = Path(__file__).resolve().parents[3] / "data"
    if (tree / SOURCE_FILE).is_file():
        return tree
    return Path(__file__).resolve().parents[1] / "_data"


@lru_cache(maxsize=1)
def load_bundled() -> Bundle:
    """The bundle shipped with listbot (read once, then cached)."""
    return load_bundle(data_dir())


class BundleError(Exception):
    """The bundled data is missing or unreadable (the message says where and how to fix it)."""


def load_bundle(directory: Path) -> Bundle:
    """The bundle stored in ``directory`` by ``listbot data build``; BundleError if unreadable."""
    try:
        catalog_data = json.loads((directory / CATALOG_FILE).read_bytes())
        history_data = json.loads((directory / HISTORY_FILE).read_bytes())
        source = Source(**catalog_data["source"])
        catalog = catalog_from_compact(catalog_data)
        return Bundle(catalog, history_from_compact(history_data), source)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BundleError(
            f"the bundled data in {directory} is missing or unreadable ({error}); "
            "regenerate it with `make data`"
        ) from error
