"""Read the README of every release of the list: from a folder of copies or a git clone.

A folder holds files named ``README@<tag>.md`` (``README@v2.6.13.md``); copies
carry no dates, so a release's date is ``None`` unless a dates file gives it
(``dates.txt`` in the folder, or any file passed in: one ``<tag> <YYYY-MM-DD>``
per line, ``#`` comments). A git clone gives every tag whose commit holds a
``README.md``, dated by the tag (the tagger date of an annotated tag, else the
commit date). Releases come out oldest first: by date when every release has
one, else by version number.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from listbot.catalog.history import Release, version_key

DATES_FILE = "dates.txt"
_COPY = re.compile(r"^README@(?P<tag>.+)\.md$")
_DATE_LINE = re.compile(r"^\s*(\S+)\s+(\d{4}-\d{2}-\d{2})\b")


class ReleaseSourceError(ValueError):
    """A folder or repository that holds no readable releases."""


def read_dates(path: Path) -> dict[str, dt.date]:
    """Tag dates from a dates file (``<tag> <YYYY-MM-DD>`` lines); ReleaseSourceError if bad."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ReleaseSourceError(f"cannot read the dates file {path}: {error}") from None
    dates: dict[str, dt.date] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DATE_LINE.match(line.split("#", 1)[0])
        if match:
            dates[match.group(1)] = _date(match.group(2), f"{path}:{number}")
    return dates


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ReleaseSourceError(f"{where}: {error}") from None


def read_folder(
    folder: Path, dates: Mapping[str, dt.date] | None = None
) -> list[tuple[Release, str]]:
    """Every ``README@<tag>.md`` in the folder, with its text, oldest first."""
    if dates is None and (folder / DATES_FILE).is_file():
        dates = read_dates(folder / DATES_FILE)
    dates = dates or {}
    found: list[tuple[Release, str]] = []
    for path in folder.iterdir():
        match = _COPY.match(path.name)
        if match and path.is_file():
            tag = match.group("tag")
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
            found.append((Release(tag, dates.get(tag)), text))
    if not found:
        raise ReleaseSourceError(f"{folder} holds no README@<tag>.md files")
    return sort_releases(found)


def read_git(repo: Path, path: str = "README.md") -> list[tuple[Release, str]]:
    """Every tag of a git clone whose commit holds ``path``, with its text, oldest first."""
    listing = _git(
        repo, "for-each-ref", "--format=%(refname:lstrip=2)\t%(creatordate:short)", "refs/tags"
    )
    found: list[tuple[Release, str]] = []
    for line in listing.splitlines():
        tag, _, day = line.partition("\t")
        try:
            text = _git(repo, "show", f"refs/tags/{tag}:{path}")
        except ReleaseSourceError:
            continue
        date = dt.date.fromisoformat(day) if day else None
        found.append((Release(tag, date), text))
    if not found:
        raise ReleaseSourceError(f"{repo} has no tag holding {path}")
    return sort_releases(found)


def sort_releases(found: list[tuple[Release, str]]) -> list[tuple[Release, str]]:
    """Oldest first: by date when every release has one (then version), else by version."""
    if all(release.date for release, _ in found):
        return sorted(found, key=lambda item: (item[0].date, version_key(item[0].tag)))
    return sorted(found, key=lambda item: version_key(item[0].tag))


def _git(repo: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=True, timeout=60
        )
    except subprocess.CalledProcessError as error:
        said = error.stderr.decode("utf-8", errors="replace").strip().splitlines()
        why = said[-1] if said else error
        raise ReleaseSourceError(f"git {args[0]} failed in {repo}: {why}") from None
    except (OSError, subprocess.SubprocessError) as error:
        raise ReleaseSourceError(f"git {args[0]} failed in {repo}: {error}") from None
    return result.stdout.decode("utf-8", errors="replace")
