"""Edits a maintainer of the list plausibly makes, on real rows: none is ever an added paper.

Each test edits a quarter of the snapshot's papers at once (every fourth, in list order), so
that edits also meet each other, and diffs the result against the snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from listbot.catalog.diff import CatalogDiff, diff
from listbot.catalog.identity import group_rows
from listbot.catalog.parse import parse_catalog, parse_rows
from tests.catalog_support import SNAPSHOT

TEXT = SNAPSHOT.read_text(encoding="utf-8")
ORIGINAL = parse_catalog(TEXT)
COPIES = dict(
    zip(
        (paper.id for paper in ORIGINAL.papers),
        ([row.line for row in group] for group in group_rows(parse_rows(TEXT)[0])),
        strict=True,
    )
)
"""Paper id to the line numbers of its rows (its copies), first row first."""
SAMPLE = [paper.id for paper in ORIGINAL.papers[::4]]
_TAG = re.compile(r"\[(\*\*)?([^\[\]*]+)(\*\*)?\]")
_LINK = re.compile(r"\[\[[^\]]*\]\]\([^)]*\)")
_ORG = re.compile(r"\(@[^)]*\)")

Edit = Callable[[str, int], str]
"""An edit of one table row: the line and the paper's first line (to make new links unique)."""


def cell(index: int, change: Callable[[str, int], str]) -> Edit:
    """An edit of one cell of a row (1 is the date, 2 the title, 3 the paper link)."""

    def edit(line: str, number: int) -> str:
        cells = line.split("|")
        cells[index] = change(cells[index], number)
        return "|".join(cells)

    return edit


def with_cell(line: str, index: int, text: str) -> str:
    """The row with one cell replaced."""
    cells = line.split("|")
    cells[index] = text
    return "|".join(cells)


def both(*edits: Edit) -> Edit:
    """Several edits of one row, one after the other."""

    def edit(line: str, number: int) -> str:
        for one in edits:
            line = one(line, number)
        return line

    return edit


def rename(change: Callable[[str], str]) -> Edit:
    """An edit of the short name inside its brackets (emphasis kept)."""
    return cell(2, lambda text, _: _TAG.sub(lambda m: _tagged(m, change), text, count=1))


def _tagged(match: re.Match[str], change: Callable[[str], str]) -> str:
    bold = match.group(1) or ""
    return f"[{bold}{change(match.group(2))}{match.group(3) or ''}]"


def _drop_suffix(name: str) -> str:
    parts = re.split(r"[-\s]+", name.strip())
    return " ".join(parts[:-1]) if len(parts) > 1 else name


def _shift_month(text: str, months: int) -> str:
    year, month = (int(x) for x in re.findall(r"\d+", text)[:2])
    total = year * 12 + month - 1 + months
    return f"{total // 12}.{total % 12 + 1:02d}"


def _conference(text: str, number: int) -> str:
    url = f"https://proceedings.mlsys.org/paper/2025/file/{number}-Paper-Conference.pdf"
    return _LINK.sub(f"[[MLSys 2025]]({url})", text, count=1) if _LINK.search(text) else text


def _retitle(text: str, _: int) -> str:
    """The title as after an arXiv rename: its first half kept, a new second half."""
    tag = _TAG.search(text)
    head, body = (text[: tag.end()], text[tag.end() :]) if tag else ("", text)
    org = _ORG.search(body)
    words = (body[: org.start()] if org else body).split()
    kept = " ".join(words[: max(1, len(words) // 2)])
    return f"{head} {kept} via Adaptive Resource Orchestration{org.group(0) if org else ''}"


EDITS: dict[str, tuple[Edit, str]] = {
    "short name gains a suffix": (rename(lambda name: name + "-Lite"), "short"),
    "short name gains a venue": (rename(lambda name: name + " (ICML'24)"), "short"),
    "short name loses its suffix": (rename(_drop_suffix), "short"),
    "date corrected a month later": (cell(1, lambda text, _: _shift_month(text, 1)), "date"),
    "date corrected a month earlier": (cell(1, lambda text, _: _shift_month(text, -1)), "date"),
    "date and short name corrected": (
        both(cell(1, lambda text, _: _shift_month(text, 1)), rename(lambda n: n + " v2")),
        "date",
    ),
    "arXiv link replaced by the conference version": (cell(3, _conference), "paper_url"),
    "title rewritten after an arXiv rename": (cell(2, _retitle), "title"),
    "renamed title and conference link": (both(cell(2, _retitle), cell(3, _conference)), "title"),
    "renamed title and corrected date": (
        both(cell(2, _retitle), cell(1, lambda text, _: _shift_month(text, 1))),
        "title",
    ),
    "org corrected": (cell(2, lambda text, _: _ORG.sub("(@Other Lab etc)", text)), "org"),
}
"""Edits of a row: name to (edit, a paper field it changes)."""


def edited(lines_of_papers: dict[str, list[int]], edit: Edit) -> tuple[str, set[str]]:
    """The snapshot with the edit made on the given rows, and the ids of papers it changed."""
    lines = TEXT.split("\n")
    touched = set()
    for paper_id, numbers in lines_of_papers.items():
        for number in numbers:
            new = edit(lines[number - 1], COPIES[paper_id][0])
            if new != lines[number - 1]:
                lines[number - 1] = new
                touched.add(paper_id)
    return "\n".join(lines), touched


def nothing_added_or_removed(result: CatalogDiff) -> None:
    assert [p.id for p in result.added] == []
    assert [p.id for p in result.removed] == []


@pytest.mark.parametrize("copies", ["every copy", "the first copy"])
@pytest.mark.parametrize("name", EDITS)
def test_an_edited_row_is_changed_never_added(name: str, copies: str) -> None:
    """The edit adds and removes nothing; every edited paper is changed in that field."""
    edit, field = EDITS[name]
    rows = {i: COPIES[i] if copies == "every copy" else COPIES[i][:1] for i in SAMPLE}
    text, touched = edited(rows, edit)
    assert len(touched) >= len(SAMPLE) // 3
    result = diff(ORIGINAL, parse_catalog(text))
    nothing_added_or_removed(result)
    fields: dict[str, set[str]] = {}
    for change in result.changed:
        fields.setdefault(change.before.id, set()).update(change.fields)
    assert all(field in fields.get(paper_id, ()) for paper_id in touched), name


def test_a_row_split_into_two_rows_adds_nothing() -> None:
    """A second row of the same work (another name, its blog link) is no new paper."""
    lines = TEXT.split("\n")
    for paper_id in reversed(SAMPLE):
        number = COPIES[paper_id][0]
        blog = rename(lambda name: name + " Blog")(lines[number - 1], number)
        blog = with_cell(blog, 3, f"[[blog]](https://blog.example.org/{paper_id})")
        lines.insert(number, blog)
    nothing_added_or_removed(diff(ORIGINAL, parse_catalog("\n".join(lines))))


def test_two_copies_merged_into_one_row_remove_nothing() -> None:
    """Deleting all but the first copy of each paper changes sections (and 🔥, ⭐️) only."""
    doomed = {number for numbers in COPIES.values() for number in numbers[1:]}
    text = "\n".join(line for n, line in enumerate(TEXT.split("\n"), 1) if n not in doomed)
    result = diff(ORIGINAL, parse_catalog(text))
    nothing_added_or_removed(result)
    # Fields come in key order: none of id, short, title, org or date changed.
    assert all(c.fields[0] == "sections" for c in result.changed)
    assert {f for c in result.changed for f in c.fields} == {"sections", "hot", "recom"}
    assert len(result.changed) == sum(len(numbers) > 1 for numbers in COPIES.values())


def test_every_section_renamed_at_once_is_reported_as_renames() -> None:
    """Renaming every heading moves every paper and names each rename; nothing is added."""
    text = re.sub(r"^### 📖", "### 📖Renamed ", TEXT, flags=re.M)
    result = diff(ORIGINAL, parse_catalog(text))
    nothing_added_or_removed(result)
    assert len(result.changed) == len(ORIGINAL)
    assert result.renamed_sections == tuple((s, f"Renamed {s}") for s in ORIGINAL.sections)


def test_a_section_split_in_two_moves_its_lower_half() -> None:
    """A new heading in the middle of each section's table moves rows, adds nothing."""
    lines = TEXT.split("\n")
    tables: dict[int, list[int]] = {}
    heading = 0
    for index, line in enumerate(lines):
        heading = index if line.startswith("#") else heading
        if re.match(r"\|\s*20\d\d", line):
            tables.setdefault(heading, []).append(index)
    for rows in reversed(tables.values()):
        if len(rows) >= 4:
            split = rows[len(rows) // 2]
            lines[split:split] = [
                "",
                f"### 📖Part Two {split}",
                "",
                "|Date|Title|Paper|Code|Recom|",
            ]
    result = diff(ORIGINAL, parse_catalog("\n".join(lines)))
    nothing_added_or_removed(result)
    assert result.changed
    assert all(c.fields == ("sections",) for c in result.changed)


@pytest.mark.parametrize("where", ["beside it", "in another section"])
def test_a_new_namesake_of_the_same_month_and_repository_is_added(where: str) -> None:
    """A new work with a paper's name, month and repository is added; the paper stays."""
    lines = TEXT.split("\n")
    named = [i for i in SAMPLE if ORIGINAL.by_id[i].short]
    for n, paper_id in enumerate(reversed(named)):
        number = COPIES[paper_id][0]
        title = f"[{ORIGINAL.by_id[paper_id].short}] Quokka {n}: Unrelated Newcomer Work"
        line = with_cell(lines[number - 1], 2, title)
        line = with_cell(line, 3, f"[[pdf]](https://arxiv.org/abs/2612.{n:05d})")
        lines.insert(number - 1 if where == "beside it" else len(lines) - 1, line)
    if where == "in another section":
        lines.insert(len(lines) - 1 - len(named), "### 📖Newcomers\n|Date|Title|Paper|Code|Recom|")
    result = diff(ORIGINAL, parse_catalog("\n".join(lines)))
    assert sorted(p.title.split(":")[0] for p in result.added) == sorted(
        f"Quokka {n}" for n in range(len(named))
    )
    assert result.removed == ()
    assert all(c.fields == ("id",) for c in result.changed)


def test_a_reformatted_table_is_no_difference_at_all() -> None:
    """Spaced cells, dates written `2024-7` and other heading emoji: an empty diff."""
    text = re.sub(r"^\|(\d{4})\.0?(\d{1,2})\|", r"| \1-\2 |", TEXT, flags=re.M)
    text = re.sub(r"^(\| .*)$", lambda m: m.group(1).replace("|", " | "), text, flags=re.M)
    text = text.replace("### 📖", "### 🚀 ")
    result = diff(ORIGINAL, parse_catalog(text))
    assert not result
    assert (result.moved, result.merged) == ((), ())


def test_a_namesake_taking_the_place_of_a_moved_paper_is_added() -> None:
    """vLLM moves away and a new [vLLM] of 2026 takes its place: one moved, one added."""
    lines = TEXT.split("\n")
    number = COPIES["vllm-202309"][0]
    old_row = lines[number - 1]
    newcomer = with_cell(with_cell(old_row, 1, "2026.08"), 2, "[vLLM] Quokka Serving at Scale")
    lines[number - 1] = with_cell(with_cell(newcomer, 3, "[[pdf]](https://q.org/q.pdf)"), 4, "⚠️")
    lines.insert(len(lines) - 1, "### 📖Elsewhere\n|Date|Title|Paper|Code|Recom|\n" + old_row)
    result = diff(ORIGINAL, parse_catalog("\n".join(lines)))
    assert [p.title for p in result.added] == ["Quokka Serving at Scale"]
    assert result.removed == ()
    # vLLM's other copy, [PagedAttention], now comes first: its short name changes too.
    assert [(c.id, "sections" in c.fields) for c in result.changed] == [("vllm-202309", True)]
