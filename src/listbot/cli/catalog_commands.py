"""``listbot parse``: read a version of the list."""

from __future__ import annotations

import argparse

from listbot.cli.common import CliError, print_json, read_text, report
from listbot.jsonio import catalog_to_json
from listbot.parser import parse_catalog


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the catalog subcommands."""
    parse = subparsers.add_parser(
        "parse", help="parse a README of the list", description="Parse a README of the list."
    )
    parse.add_argument("file", metavar="FILE", help="the README to read, or - for standard input")
    parse.add_argument("--json", action="store_true", help="print the catalog as JSON")
    parse.set_defaults(run=run_parse)


def run_parse(args: argparse.Namespace) -> int:
    """Print the papers of a README."""
    try:
        catalog = parse_catalog(read_text(args.file))
        if not catalog.papers:
            raise CliError(f"{args.file} holds no table rows of the list")
    except CliError as error:
        return report(error)
    if args.json:
        print_json(catalog_to_json(catalog))
    else:
        for paper in catalog.papers:
            print(f"{paper.date or '       '}  {paper.display_name}  [{paper.id}]")
        print(f"{len(catalog.papers)} papers in {len(catalog.sections)} sections, "
              f"{len(catalog.warnings)} warnings")
    return 0
