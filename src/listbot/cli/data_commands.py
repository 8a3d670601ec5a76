"""``listbot data build|check``: regenerate or verify the derived files of ``data/``."""

from __future__ import annotations

import argparse
from pathlib import Path

from listbot.catalog.bundle import data_dir
from listbot.catalog.history import Release
from listbot.cli.common import CliError, fail, report
from listbot.databuild.build import DataError, build, stale
from listbot.databuild.release_readmes import ReleaseSourceError, read_dates, read_folder, read_git


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``listbot data`` and its subcommands."""
    data = subparsers.add_parser(
        "data",
        help="regenerate or check the bundled data/",
        description="Derive data/catalog.json and data/history.json from the bundled snapshot "
        "and the README of every release of the list.",
    )
    actions = data.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, run, text in (
        ("build", run_build, "write the derived files (only those that changed)"),
        ("check", run_check, "exit 1 when a derived file is not current"),
    ):
        action = actions.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        _add_inputs(action)
        action.set_defaults(run=run)


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--upstream",
        type=Path,
        metavar="DIR",
        help="a folder whose releases/ holds README@<tag>.md copies (e.g. ../shared/upstream)",
    )
    source.add_argument(
        "--releases", type=Path, metavar="DIR", help="a folder of README@<tag>.md copies"
    )
    source.add_argument(
        "--git", type=Path, metavar="REPO", help="a git clone of the list (tags and their dates)"
    )
    parser.add_argument(
        "--dates",
        type=Path,
        metavar="FILE",
        help="tag dates, one '<tag> <YYYY-MM-DD>' per line (default: dates.txt in the folder); "
        "with --git they override the tag dates",
    )
    parser.add_argument(
        "--data", type=Path, metavar="DIR", default=None, help="the data folder (default: data/)"
    )


def _releases(args: argparse.Namespace) -> list[tuple[Release, str]]:
    try:
        dates = read_dates(args.dates) if args.dates else None
        if args.git:
            found = read_git(args.git)
            return [(Release(r.tag, (dates or {}).get(r.tag, r.date)), text) for r, text in found]
        folder = args.releases or args.upstream / "releases"
        if not folder.is_dir():
            fail(f"{folder} is not a folder")
        return read_folder(folder, dates)
    except (OSError, ValueError) as error:
        fail(str(error))


def run_build(args: argparse.Namespace) -> int:
    """Regenerate the derived files of data/."""
    directory = args.data or data_dir()
    try:
        written = build(directory, _releases(args))
    except CliError as error:
        return report(error)
    except (DataError, ReleaseSourceError) as error:
        return report(CliError(str(error)))
    for path in written:
        print(f"wrote {path}")
    if not written:
        print(f"{directory}: derived files are current")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Exit 1 when a derived file of data/ differs from a fresh build."""
    directory = args.data or data_dir()
    try:
        names = stale(directory, _releases(args))
    except CliError as error:
        return report(error)
    except (DataError, ReleaseSourceError) as error:
        return report(CliError(str(error)))
    for name in names:
        print(f"{directory / name} is not current; run `listbot data build`")
    return 1 if names else 0
