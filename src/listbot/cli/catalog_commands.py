"""``listbot parse`` and ``listbot diff``: read a version of the list, compare two."""

from __future__ import annotations

import argparse

from listbot.catalog.diff import CatalogDiff, diff, diff_to_json
from listbot.catalog.jsonio import catalog_to_json
from listbot.catalog.model import Catalog, Paper
from listbot.catalog.parse import parse_catalog
from listbot.cli.common import CliError, fail, print_json, read_text, report

_FILE_HELP = "a README of the list, or - for standard input"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the catalog subcommands."""
    parse = subparsers.add_parser(
        "parse",
        help="parse a README of the list",
        description="Parse a README of the list into papers, sections and warnings.",
    )
    parse.add_argument("file", metavar="FILE", help=_FILE_HELP)
    parse.add_argument("--json", action="store_true", help="print the catalog as JSON")
    parse.set_defaults(run=run_parse)
    compare = subparsers.add_parser(
        "diff",
        help="compare two versions of the list",
        description="Compare two versions of the list: papers added, changed (which fields), "
        "removed, and section moves. Edited, moved or copied rows are never 'added'.",
    )
    compare.add_argument("old", metavar="OLD", help=_FILE_HELP)
    compare.add_argument("new", metavar="NEW", help=_FILE_HELP)
    compare.add_argument("--json", action="store_true", help="print the differences as JSON")
    compare.set_defaults(run=run_diff)


def load_catalog(source: str) -> Catalog:
    """Parse a README given on the command line; CliError when it is not a list."""
    catalog = parse_catalog(read_text(source))
    if not catalog.papers:
        name = "standard input" if source == "-" else source
        fail(f"{name} holds no table rows of the list")
    return catalog


def run_parse(args: argparse.Namespace) -> int:
    """Print the papers of a README."""
    try:
        catalog = load_catalog(args.file)
    except CliError as error:
        return report(error)
    if args.json:
        print_json(catalog_to_json(catalog))
        return 0
    for paper in catalog.papers:
        print(f"{paper.date or '       '}  {paper.display_name}  [{paper.id}]")
    print(
        f"{len(catalog.papers)} papers in {len(catalog.sections)} sections, "
        f"{len(catalog.warnings)} warnings"
    )
    return 0


def run_diff(args: argparse.Namespace) -> int:
    """Print what changed between two READMEs."""
    try:
        if args.old == args.new == "-":
            fail("only one of OLD and NEW can be standard input")
        result = diff(load_catalog(args.old), load_catalog(args.new))
    except CliError as error:
        return report(error)
    if args.json:
        print_json(diff_to_json(result))
    else:
        print_diff(result)
    return 0


def print_diff(result: CatalogDiff) -> None:
    """The differences for a human reader, one line each, then a summary."""
    for paper in result.added:
        print(f"+ {_describe(paper)}")
    for change in result.changed:
        renamed = f" (was {change.before.id})" if change.before.id != change.id else ""
        print(f"~ {change.id}{renamed}: {', '.join(change.fields)}")
    for move in result.moved:
        left = ", ".join(move.left) or "-"
        entered = ", ".join(move.entered) or "-"
        print(f"> {move.id}: left {left}; entered {entered}")
    for old, new in result.renamed_sections:
        print(f"# section {old!r} renamed {new!r}")
    for merge in result.merged:
        print(f"= {merge.before.id} is now a copy of {merge.id}")
    for paper in result.removed:
        print(f"- {_describe(paper)}")
    print(
        f"{len(result.added)} added, {len(result.changed)} changed "
        f"({len(result.moved)} moved), {len(result.removed)} removed"
    )


def _describe(paper: Paper) -> str:
    return f"{paper.date or 'no date'}  {paper.display_name}: {paper.title}  [{paper.id}]"
