"""The catalog: one version of the list, read from its README, and how versions relate.

Modules, in dependency order: ``model`` (frozen dataclasses, standard library only),
``markdown`` (table text), ``identity`` (which rows are one paper; stable ids), ``parse``
(README -> :class:`Catalog`), ``matching`` and ``diff`` (two versions -> added / changed /
removed), ``history`` (which release first held each paper), ``jsonio`` (the public JSON of
papers and catalogs), ``compact`` and ``bundle`` (the bundled ``data/`` and its fast form).
Building ``data/`` from release copies lives apart, in :mod:`listbot.databuild`.

The catalog imports nothing else of listbot: search, commands and follow build on it.
"""

from __future__ import annotations

from listbot.catalog.bundle import Bundle, BundleError, Source, data_dir, load_bundle, load_bundled
from listbot.catalog.diff import CatalogDiff, Change, Merge, Move, diff, diff_to_json
from listbot.catalog.history import EMPTY_HISTORY, History, Release, build_history, version_key
from listbot.catalog.jsonio import PAPER_KEYS, catalog_to_json, paper_to_json
from listbot.catalog.model import Catalog, Link, Paper, ParseWarning, Row, YearMonth
from listbot.catalog.parse import parse_catalog, parse_rows

__all__ = [
    "EMPTY_HISTORY",
    "PAPER_KEYS",
    "Bundle",
    "BundleError",
    "Catalog",
    "CatalogDiff",
    "Change",
    "History",
    "Link",
    "Merge",
    "Move",
    "Paper",
    "ParseWarning",
    "Release",
    "Row",
    "Source",
    "YearMonth",
    "build_history",
    "catalog_to_json",
    "data_dir",
    "diff",
    "diff_to_json",
    "load_bundle",
    "load_bundled",
    "paper_to_json",
    "parse_catalog",
    "parse_rows",
    "version_key",
]
