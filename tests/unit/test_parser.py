"""The parser: every real version of the list read completely, odd rows become warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listbot.catalog.markdown import clean_heading, split_cells
from listbot.catalog.model import Catalog, Link, Paper, YearMonth
from listbot.catalog.parse import parse_catalog, parse_rows
from tests.catalog_support import (
    SNAPSHOT,
    dated_row_lines,
    needs_upstream,
    readme,
    release,
    row,
    version_files,
)


def paper_named(catalog: Catalog, short: str, date: str | None = None) -> Paper:
    found = [p for p in catalog.papers if p.short == short and (not date or str(p.date) == date)]
    assert len(found) == 1, [p.id for p in found]
    return found[0]


@pytest.fixture(scope="module")
def main_catalog() -> Catalog:
    return parse_catalog(SNAPSHOT.read_text(encoding="utf-8"))


# --- every real version ------------------------------------------------------------------


@needs_upstream
def test_there_are_46_real_versions_of_the_list() -> None:
    """The releases v0.1 to v2.6.20 and main are all present for the tests below."""
    assert len(version_files()) == 46


@needs_upstream
@pytest.mark.parametrize("path", version_files(), ids=lambda p: p.name)
def test_every_dated_row_of_a_real_version_is_captured(path: Path) -> None:
    """Rows captured equal the dated table lines counted independently, line for line."""
    text = path.read_text(encoding="utf-8")
    rows, _, _ = parse_rows(text)
    assert [r.line for r in rows] == dated_row_lines(text)
    assert parse_catalog(text).rows == len(dated_row_lines(text))


@needs_upstream
@pytest.mark.parametrize("path", version_files(), ids=lambda p: p.name)
def test_every_row_of_a_real_version_has_a_title_and_a_date(path: Path) -> None:
    """No real row lacks a title or a date, and every paper has a section."""
    rows, _, sections = parse_rows(path.read_text(encoding="utf-8"))
    assert all(r.title and r.date for r in rows)
    assert all(r.section in sections for r in rows)


def test_the_bundled_snapshot_reads_with_one_warning_only(main_catalog: Catalog) -> None:
    """main has 363 dated rows of 331 papers in 21 sections; the one warning is `[[pdf]]()`."""
    assert main_catalog.rows == 363
    assert len(main_catalog.papers) == 331
    assert len(main_catalog.sections) == 21
    assert [(w.line, w.message) for w in main_catalog.warnings] == [
        (127, "empty paper link [pdf]()")
    ]


# --- spot checks of real rows -------------------------------------------------------------


def test_a_row_copied_into_three_sections_is_one_paper_with_three_sections(
    main_catalog: Catalog,
) -> None:
    """DeepSeek-V2 (lines 84, 99, 486) is one paper listing its sections in list order."""
    paper = paper_named(main_catalog, "DeepSeek-V2")
    assert paper.sections == (
        "Trending LLM/VLM Topics",
        "DeepSeek/Multi-head Latent Attention(MLA)",
        "Mixture-of-Experts(MoE) LLM Inference",
    )
    assert paper.title == (
        "DeepSeek-V2: A Strong, Economical, and Efficient Mixture-of-Experts Language Model"
    )
    assert (paper.org, paper.date, paper.line) == ("DeepSeek-AI", YearMonth(2024, 5), 84)
    assert paper.paper == Link("https://arxiv.org/pdf/2405.04434", "pdf")
    assert paper.code == Link("https://github.com/deepseek-ai/DeepSeek-V2", "DeepSeek-V2")
    assert (paper.hot, paper.recom) == (3, 2)


def test_a_bold_short_name_with_fire_and_stars_is_read(main_catalog: Catalog) -> None:
    """FlashAttention-3: bold tag, two 🔥, two ⭐️, a shields badge beside the code link."""
    paper = paper_named(main_catalog, "FlashAttention-3")
    assert paper.id == "flashattention3-202407"
    assert paper.title.startswith("FlashAttention-3: Fast and Accurate Attention")
    assert paper.org == "TriDao etc"
    assert paper.paper == Link("https://tridao.me/publications/flash3/flash3.pdf", "pdf")
    assert paper.code == Link("https://github.com/Dao-AILab/flash-attention", "flash-attention")
    assert (paper.hot, paper.recom) == (2, 2)


def test_a_warning_sign_in_the_code_cell_means_no_code(main_catalog: Catalog) -> None:
    """VL-CACHE's code cell is ⚠️: no code link and no warning."""
    paper = paper_named(main_catalog, "VL-CACHE")
    assert paper.code is None
    assert paper.paper == Link("https://arxiv.org/pdf/2410.23317", "pdf")
    assert (paper.org, paper.hot, paper.recom) == ("g.ucla.edu etc", 1, 1)
    assert all(w.line != paper.line for w in main_catalog.warnings)


def test_different_works_sharing_a_short_name_stay_apart(main_catalog: Catalog) -> None:
    """[FlashAttention] names the 2022 paper and a 2023 course note: two papers, two ids."""
    first = paper_named(main_catalog, "FlashAttention", "2022-05")
    note = paper_named(main_catalog, "FlashAttention", "2023-05")
    assert first.id != note.id
    assert note.title == "From Online Softmax to FlashAttention"


def test_a_link_in_the_title_cell_under_an_app_header_is_read(main_catalog: Catalog) -> None:
    """StoryRoute: `[**StoryRoute**](url)` in the title, the App column is the paper link."""
    paper = paper_named(main_catalog, "StoryRoute")
    assert paper.title.startswith("Real-time LLM inference-powered GPS audio tour app")
    assert paper.sections == ("LLM Inference Applications",)
    assert paper.paper == Link("https://storyroute.netlify.app", "app")
    assert paper.code == Link("https://github.com/samirasadov28-code/storyroute", "storyroute")
    assert (paper.org, paper.line) == (None, 564)


def test_an_empty_pdf_link_is_a_warning_with_its_line(main_catalog: Catalog) -> None:
    """Line 127 has `[[pdf]]()`: the paper is kept without a paper link."""
    paper = next(p for p in main_catalog.papers if p.line == 127)
    assert paper.short == "SP: Unified Sequence Parallel (USP)"
    assert paper.paper is None
    assert paper.code is not None


@needs_upstream
def test_four_column_rows_of_v0_2_are_read() -> None:
    """v0.2 has Date|Title|Paper|Code with bare URLs and `-` for no code."""
    catalog = parse_catalog(release("v0.2"))
    assert (catalog.rows, len(catalog.papers), catalog.warnings) == (19, 19, ())
    orca = paper_named(catalog, "Continuous Batching")
    assert orca.title.startswith("Orca: A Distributed Serving System for Transformer-Based")
    assert orca.paper == Link("https://www.usenix.org/system/files/osdi22-yu.pdf", "pdf")
    assert (orca.code, orca.recom, orca.date) == (None, 0, YearMonth(2022, 7))
    flash = paper_named(catalog, "FlashAttention")
    assert flash.code == Link("https://github.com/Dao-AILab/flash-attention", "flash-attention")


@needs_upstream
def test_a_version_without_tables_has_no_papers() -> None:
    """v0.1 was a Chinese note about a PDF book: no rows, no warnings, no crash."""
    catalog = parse_catalog(release("v0.1"))
    assert (len(catalog), catalog.rows, catalog.warnings) == (0, 0, ())


# --- synthetic rows -----------------------------------------------------------------------


def test_malformed_rows_become_warnings_with_their_line_numbers() -> None:
    """Bad dates, missing cells and unreadable links are warnings; the rows still count."""
    text = readme(
        (
            "Odd",
            [
                row(),
                row(date="2024.13"),
                "|2024.02|[Beta] Beta|",
                row(title="[Gamma] Gamma", paper="[[pdf]]()", code="see the paper"),
                row(title="", paper="-"),
            ],
        )
    )
    first = text.split("\n").index(row()) + 1
    catalog = parse_catalog(text)
    lines = [w.line for w in catalog.warnings]
    assert catalog.rows == 5
    assert set(lines) == {first + 1, first + 2, first + 3, first + 4}
    assert lines == sorted(lines)
    messages = " / ".join(w.message for w in catalog.warnings)
    assert "month out of range" in messages
    assert "row has 2 cells" in messages
    assert "empty paper link [pdf]()" in messages
    assert "unreadable code cell 'see the paper'" in messages
    assert "row has no title" in messages


def test_headings_name_sections_without_emoji_anchors_or_links() -> None:
    """`### 📖KV Cache ([©️back👆🏻](#paperlist))` is the section `KV Cache`."""
    assert clean_heading("📖KV Cache Scheduling/Quantize ([©️back👆🏻](#paperlist))") == (
        "KV Cache Scheduling/Quantize"
    )
    assert clean_heading("<b>Trending</b> 🔥🔥") == "Trending"


def test_cells_split_outside_brackets_and_escapes() -> None:
    """A `|` inside a link or escaped with a backslash does not split a cell."""
    assert split_cells("|2024.01|[a|b](https://x/y)| c |") == ["2024.01", "[a|b](https://x/y)", "c"]
    assert split_cells(r"|2024.01|a \| b|c|") == ["2024.01", "a | b", "c"]


def test_a_copied_row_with_a_changed_link_form_is_one_paper() -> None:
    """The same paper in two sections, once as pdf and once as abs, is one paper."""
    text = readme(
        ("One", [row()]),
        ("Two", [row(paper="[[arXiv]](http://arxiv.org/abs/2401.01234v2)")]),
    )
    catalog = parse_catalog(text)
    assert [(p.short, p.sections) for p in catalog.papers] == [("Alpha", ("One", "Two"))]


def test_a_four_column_table_and_other_header_names_are_read() -> None:
    """A Date|Title|App|Code table without Recom reads the App column as the paper link."""
    text = "## Apps\n|Date|Title|App|Code|\n|---|---|---|---|\n|2025.1|[X] X app|[[app]](https://x.app)|⚠️|\n"
    (paper,) = parse_catalog(text).papers
    assert (paper.date, paper.paper, paper.code, paper.recom) == (
        YearMonth(2025, 1),
        Link("https://x.app", "app"),
        None,
        0,
    )


def test_text_around_tables_is_ignored() -> None:
    """Bullets, HTML, code blocks and CJK text hold no papers and make no warnings."""
    text = "# 标题\n- [x] 说明 2024.01 | not a table\n<div>|</div>\n```\n|a|b|\n```\n"
    catalog = parse_catalog(text)
    assert (catalog.papers, catalog.warnings) == ((), ())


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_parses_without_an_exception(text: str) -> None:
    """Whatever the text, the parser returns a catalog."""
    catalog = parse_catalog(text)
    assert catalog.rows >= len(catalog.papers)


_CELL = st.text(alphabet="[]()|\\*`!@🔥⭐️⚠️ab1.:/-<> ", max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2024.01", "2024.1", "1999-12", "2024.00"]),
            st.lists(_CELL, max_size=6),
        ),
        max_size=8,
    )
)
def test_any_table_of_dated_rows_parses_and_keeps_every_row(
    rows: list[tuple[str, list[str]]],
) -> None:
    """Random rows under a header are all captured, with warnings rather than exceptions."""
    lines = ["## S", "|Date|Title|Paper|Code|Recom|"]
    lines += ["|" + "|".join([date, *cells]) + "|" for date, cells in rows]
    text = "\n".join(lines)
    catalog = parse_catalog(text)
    assert catalog.rows == len(dated_row_lines(text))


def test_other_date_forms_are_read_and_no_dated_row_is_dropped() -> None:
    """Days, bold, emoji, dashes and month names are read; a bare year is a warning."""
    dates = ["2024.05.12", "**2024.06**", "2024-7", "2024.08🔥", "May 2024", "Sept. 2023", "2024"]
    text = readme(("S", [row(f"[P{i}] Paper {i}", date=date) for i, date in enumerate(dates)]))
    catalog = parse_catalog(text)
    assert [str(p.date) for p in catalog.papers] == [
        *("2024-05", "2024-06", "2024-07", "2024-08", "2024-05", "2023-09", "None"),
    ]
    assert [w.message for w in catalog.warnings] == ["unreadable date '2024'"]


def test_a_row_without_a_leading_pipe_is_read() -> None:
    """GitHub tables allow rows without the outer pipes; prose with a pipe is not a row."""
    text = "## S\n|Date|Title|Paper|Code|\n|---|---|---|---|\n2024.09|[I] Item|-|-\n- 2024 | x\n"
    assert [p.short for p in parse_catalog(text).papers] == ["I"]


def test_line_numbers_count_crlf_and_cr_line_ends_once() -> None:
    """A README with Windows line ends reports the same line numbers as with Unix ones."""
    text = readme(("S", [row(), row(date="2024.13")]))
    unix = parse_catalog(text).warnings
    assert parse_catalog(text.replace("\n", "\r\n")).warnings == unix
    assert parse_catalog(text.replace("\n", "\r")).warnings == unix


@pytest.mark.parametrize(
    "cell",
    ["[a](" * 5000, "![" * 5000, "[[a](" * 5000, "(@" * 5000, "<" * 5000, "http://" * 5000],
    ids=["open links", "open images", "nested links", "open orgs", "angles", "urls"],
)
def test_pathological_cells_are_read_in_one_pass(cell: str) -> None:
    """Thousands of unclosed links, images or orgs in a row still give one row (no blow-up)."""
    text = f"## S\n|2024.01|[A] A {cell}|{cell}|{cell}|\n"
    catalog = parse_catalog(text)
    assert catalog.rows == 1
    assert catalog.papers[0].short == "A"


def test_header_names_are_matched_by_their_words_in_any_order() -> None:
    """`Paper Title`, `PDF`, `Repo`, `⭐ Stars` in another order map to the right fields."""
    text = (
        "## S\n| **Date** | Repo | Paper Title | ⭐ Stars | PDF |\n|---|---|---|---|---|\n"
        "|2024.03|[[r]](https://github.com/o/r)|[X] X title|⭐️⭐️|[[pdf]](https://x.org/p.pdf)|\n"
    )
    (paper,) = parse_catalog(text).papers
    assert (paper.short, paper.recom) == ("X", 2)
    assert paper.code == Link("https://github.com/o/r", "r")
    assert paper.paper == Link("https://x.org/p.pdf", "pdf")


@pytest.mark.parametrize(
    "line",
    [
        "|" + "---|" * 5000 + "x",
        "|" + " " * 5000 + "---" + " " * 5000 + "x",
        "#" + " #" * 5000 + "x",
    ],
    ids=["long separator", "spaced separator", "hashes"],
)
def test_pathological_lines_are_read_in_one_pass(line: str) -> None:
    """Near-separators and near-headings of thousands of characters parse quickly and safely."""
    catalog = parse_catalog(f"{line}\n|2024.01|[A] A|-|-|\n")
    assert catalog.rows == 1
