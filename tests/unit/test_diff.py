"""The diff of two versions: genuinely new papers are added, edited or moved ones are changed."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listbot.catalog.diff import CatalogDiff, changed_fields, diff
from listbot.catalog.identity import AGREE, canonical_url, title_similarity
from listbot.catalog.matching import match_papers
from listbot.catalog.model import Catalog
from listbot.catalog.parse import parse_catalog
from tests.catalog_support import (
    EDITS,
    SNAPSHOT,
    VLLM_LINE,
    edit_copies,
    edit_line,
    move_line,
    needs_upstream,
    readme,
    release,
    row,
    version_files,
)

TEXT = SNAPSHOT.read_text(encoding="utf-8")
ORIGINAL = parse_catalog(TEXT)
MOVE_TARGET = "Continuous/In-flight Batching"


def diff_of(old: str, new: str) -> CatalogDiff:
    return diff(parse_catalog(old), parse_catalog(new))


def fields_by_id(result: CatalogDiff) -> dict[str, tuple[str, ...]]:
    return {change.id: change.fields for change in result.changed}


# --- synthetic edits of the snapshot ------------------------------------------------------


def test_a_version_against_itself_has_no_differences() -> None:
    """diff(x, x) is empty and false."""
    result = diff(ORIGINAL, ORIGINAL)
    assert not result
    assert (result.added, result.changed, result.removed, result.moved) == ((), (), (), ())
    assert (result.merged, result.renamed_sections) == ((), ())


def test_against_an_empty_version_everything_is_added_or_removed() -> None:
    """From nothing every paper is added; to nothing every paper is removed."""
    empty = Catalog((), ())
    assert diff(empty, ORIGINAL).added == ORIGINAL.papers
    assert diff(ORIGINAL, empty).removed == ORIGINAL.papers


@pytest.mark.parametrize("edit", EDITS, ids=str)
@pytest.mark.parametrize("copies", ["one copy", "every copy"])
def test_an_edited_row_is_changed_never_added(edit: str, copies: str) -> None:
    """Each listed edit gives no added and no removed paper, and only vLLM can change."""
    old, new = EDITS[edit]
    edited = edit_line(TEXT, VLLM_LINE, old, new) if copies == "one copy" else edit_copies(old, new)
    result = diff_of(TEXT, edited)
    assert (result.added, result.removed) == ((), ())
    assert set(fields_by_id(result)) <= {"vllm-202309"}


def test_the_changed_fields_name_what_was_edited() -> None:
    """A new link is `paper_url`; a fixed typo is `title`; more fire is `hot`."""
    cases = {
        "newer version of the paper": ("paper_url",),
        "title typo": ("title",),
        "emoji changed": ("hot",),
        "stars and fire changed": ("recom",),
        "code repository moved": ("code_url",),
        "pdf link to abs": ("paper_url",),
    }
    for edit, fields in cases.items():
        old, new = EDITS[edit]
        assert fields_by_id(diff_of(TEXT, edit_copies(old, new))) == {"vllm-202309": fields}


def test_bold_removed_is_no_change_at_all() -> None:
    """Emphasis is not part of the short name, so dropping it changes nothing."""
    old, new = EDITS["bold removed"]
    assert not diff_of(TEXT, edit_copies(old, new))


def test_a_moved_row_is_a_section_move() -> None:
    """Moving the vLLM row to another section is a change of sections and a move."""
    result = diff_of(TEXT, move_line(TEXT, VLLM_LINE, MOVE_TARGET))
    assert fields_by_id(result) == {"vllm-202309": ("sections",)}
    (move,) = result.moved
    assert (move.id, move.left, move.entered) == (
        "vllm-202309",
        ("LLM Train/Inference Framework/Design",),
        (MOVE_TARGET,),
    )


def test_a_copied_row_enters_a_section_and_leaves_none() -> None:
    """Copying the vLLM row adds a section to the paper, not a paper."""
    result = diff_of(TEXT, move_line(TEXT, VLLM_LINE, MOVE_TARGET, keep=True))
    assert result.added == ()
    (move,) = result.moved
    assert (move.left, move.entered) == ((), (MOVE_TARGET,))


def test_a_renamed_short_name_is_a_change_of_id_and_name() -> None:
    """`[vLLM]` renamed `[vLLM-Engine]` everywhere: changed id and short, nothing added."""
    renamed = TEXT.replace("[**vLLM**]", "[**vLLM Engine**]").replace(
        "[**PagedAttention**]", "[**vLLM Engine**]"
    )
    result = diff_of(TEXT, renamed)
    assert (result.added, result.removed) == ((), ())
    assert fields_by_id(result) == {"vllmengine-202309": ("id", "short")}


def test_a_corrected_date_is_a_change_of_id_and_date() -> None:
    """`2023.09` corrected to `2023.10` on both copies: changed, not added."""
    renamed = TEXT.replace("|2023.09|🔥[**vLLM**]", "|2023.10|🔥[**vLLM**]").replace(
        "|2023.09|🔥🔥[**PagedAttention**]", "|2023.10|🔥🔥[**PagedAttention**]"
    )
    assert fields_by_id(diff_of(TEXT, renamed)) == {"vllm-202310": ("id", "date")}


def test_a_genuinely_new_row_is_added_even_beside_a_namesake() -> None:
    """A new work sharing vLLM's short name and month is added; vLLM keeps its id."""
    new_row = row(
        "[**vLLM**] Routing Requests Across Many Serving Replicas",
        paper="[[pdf]](https://arxiv.org/pdf/2309.99999)",
        code="⚠️",
        date="2023.09",
    )
    edited = edit_line(TEXT, VLLM_LINE + 1, "|2023.", new_row + "\n|2023.")
    result = diff_of(TEXT, edited)
    assert [p.title for p in result.added] == ["Routing Requests Across Many Serving Replicas"]
    assert result.changed == ()


def test_ids_that_swap_between_namesakes_are_not_trusted() -> None:
    """A namesake whose initials come first takes the plain id; the old paper is still paired."""
    first = row("[Alpha] Alpha: Fast Thing for Models", paper="[[pdf]](https://a.org/1)")
    newcomer = row("[Alpha] Abandoned Approach", paper="[[pdf]](https://b.org/2)")
    result = diff_of(readme(("S", [first])), readme(("S", [newcomer, first])))
    assert [p.title for p in result.added] == ["Abandoned Approach"]
    assert [(c.before.title, c.fields) for c in result.changed] == [
        ("Alpha: Fast Thing for Models", ("id",))
    ]


def test_a_copy_edited_apart_from_its_namesake_copy_is_not_added() -> None:
    """Two copies under different names; one gets a new link: no paper is added."""
    one = row("[TRT] NVIDIA TensorRT LLM", paper="[[docs]](https://x.io/trt)")
    two = row("[TensorRT] NVIDIA TensorRT LLM", paper="[[docs]](https://x.io/trt)")
    moved = row("[TensorRT] NVIDIA TensorRT LLM", paper="[[docs]](https://x.io/trt/v2)")
    old = readme(("A", [one]), ("B", [two]))
    result = diff_of(old, readme(("A", [one]), ("B", [moved])))
    assert (result.added, result.removed) == ((), ())
    back = diff_of(readme(("A", [one]), ("B", [moved])), old)
    assert (back.added, back.removed) == ((), ())
    assert [(m.id, m.before.short) for m in back.merged] == [("tensorrt-202401", "TRT")]


def test_changed_fields_compare_the_json_form() -> None:
    """A paper differs from itself in nothing."""
    paper = ORIGINAL.papers[0]
    assert changed_fields(paper, paper) == ()


# --- consecutive real releases, checked against `diff` of the files -----------------------


@needs_upstream
def test_v2_6_20_added_eight_papers_and_moved_ffpa() -> None:
    """v2.6.19 -> v2.6.20: eight new rows; FFPA's repository was renamed."""
    result = diff_of(release("v2.6.19"), release("v2.6.20"))
    assert [p.id for p in result.added] == [
        "guidedquant-202505",
        "kvzip-202505",
        "inferencetimehyperscaling-202506",
        "homer-202404",
        "reform-202506",
        "mambadrafters-202506",
        "stand-202506",
        "simba-202503",
    ]
    assert fields_by_id(result) == {"ffpa-202501": ("paper_url", "code_url")}
    assert result.removed == ()


@needs_upstream
def test_v2_6_16_renamed_a_section_and_copied_sglang() -> None:
    """v2.6.15 -> v2.6.16: a renamed section moves 13 papers; a [SGLang] copy is no addition."""
    result = diff_of(release("v2.6.15"), release("v2.6.16"))
    assert [p.id for p in result.added] == [
        "fsdp12-202505",
        "primacpp-202504",
        "mminference-202504",
        "tritondistributed-202504",
    ]
    fields = fields_by_id(result)
    assert fields.pop("sglang-202312") == ("id", "short", "sections")
    assert fields.pop("spargeattention-202503") == ("id", "date")
    assert set(fields.values()) == {("sections",)}
    renamed = [m for m in result.moved if m.left == ("DP/MP/PP/TP/SP/CP Parallelism",)]
    assert len(renamed) == 13
    assert result.renamed_sections == (
        ("DP/MP/PP/TP/SP/CP Parallelism", "Multi-GPUs/Multi-Nodes Parallelism"),
    )
    assert all(m.entered == ("Multi-GPUs/Multi-Nodes Parallelism",) for m in renamed)


@needs_upstream
def test_v2_6_5_copies_into_a_new_section_are_changes() -> None:
    """v2.6.4 -> v2.6.5: seven new rows; four copies into the new section with an `SP:` tag."""
    result = diff_of(release("v2.6.4"), release("v2.6.5"))
    assert len(result.added) == 7
    assert {c.before.short: c.after.short for c in result.changed} == {
        "Megatron-LM": "TP: Megatron-LM",
        "Blockwise Attention": "SP: BPT",
        "RingAttention": "SP: Ring Attention",
        "StripedAttention": "SP: STRIPED ATTENTION",
    }
    assert all("DP/MP/PP/TP/SP/CP Parallelism" in m.entered for m in result.moved)


@needs_upstream
def test_v1_1_rewritten_deft_row_is_a_change() -> None:
    """v1.0 -> v1.1: DeFT's row got a new name, title and link form; I-LLM is new."""
    result = diff_of(release("v1.0"), release("v1.1"))
    assert [p.id for p in result.added] == ["illm-202405"]
    assert fields_by_id(result) == {"deft-202404": ("id", "short", "title", "paper_url", "hot")}


@needs_upstream
def test_main_added_eighteen_papers_since_v2_6_20() -> None:
    """v2.6.20 -> main of 2026-07-26: 18 new rows (two share the name Parallel Encoding)."""
    result = diff_of(release("v2.6.20"), release("main"))
    assert len(result.added) == 18
    assert [p.id for p in result.added][4:6] == [
        "parallelencoding-202504",
        "parallelencoding-202504-bafep",
    ]
    assert (result.changed, result.removed) == ((), ())


def _consecutive() -> list[tuple[str, str]]:
    files = version_files()
    tags = [p.name.removeprefix("README@").removesuffix(".md") for p in files]
    tags[-1] = "main"
    ordered = [*sorted(tags[:-1], key=lambda t: [int(x) for x in t[1:].split(".")]), "main"]
    return list(itertools.pairwise(ordered))


@needs_upstream
@pytest.mark.parametrize(("old", "new"), _consecutive(), ids="->".join)
def test_no_real_release_adds_a_paper_it_already_had(old: str, new: str) -> None:
    """Nothing is removed; no added paper has both the link and the title of an old one."""
    # A few new rows reuse another paper's link by mistake (HADACORE in v2.6.9): rightly added.
    before, after = parse_catalog(release(old)), parse_catalog(release(new))
    result = diff(before, after)
    assert result.removed == ()
    old_links = {canonical_url(p.paper.url): p.title for p in before.papers if p.paper}
    for paper in result.added:
        old_title = old_links.get(canonical_url(paper.paper.url) if paper.paper else None)
        assert old_title is None or title_similarity(old_title, paper.title) < AGREE
    assert len(result.added) == len(after) - len(match_papers(before, after))


@needs_upstream
@pytest.mark.parametrize(("old", "new"), [("v0.2", "main"), ("v1.0", "v2.6.10"), ("v2.0", "main")])
def test_a_diff_across_many_releases_adds_what_the_steps_added(old: str, new: str) -> None:
    """Across several releases, added equals the sum added step by step; nothing is removed."""
    steps = [pair for pair in _consecutive() if _between(pair, old, new)]
    step_added = sum(len(diff_of(release(a), release(b)).added) for a, b in steps)
    result = diff_of(release(old), release(new))
    assert len(result.added) == step_added
    assert (result.removed, result.merged) == ((), ())


def _between(pair: tuple[str, str], old: str, new: str) -> bool:
    order = [a for a, _ in _consecutive()] + ["main"]
    return order.index(old) <= order.index(pair[0]) < order.index(new)


def test_a_renamed_section_is_reported_once() -> None:
    """All papers of a section moving to a new name is a section rename, beside the moves."""
    rows = [row(), row("[B] Beta Work", paper="[[pdf]](https://b.org/1)")]
    result = diff_of(readme(("Old Name", rows)), readme(("New Name", rows)))
    assert result.renamed_sections == (("Old Name", "New Name"),)
    assert len(result.moved) == 2


_POOL = [
    row(),
    row(
        "[Alpha] Alpha: A Fast Thing for Large Models(@Lab)",
        paper="[[abs]](https://arxiv.org/abs/2401.01234v2)",
    ),
    row("[**Alpha**] Alpha: A Fast Thing for Big Models"),
    row("[Beta] Beta Serving at Scale", paper="[[pdf]](https://b.org/beta.pdf)", code="⚠️"),
    row("[Beta] Beta Serving at Scale, Revised", paper="[[pdf]](https://b.org/beta2.pdf)"),
    row("[Gamma] Gamma", paper="-", code="-", date="2023.12"),
    row("Untitled Work Without A Short Name", paper="[[blog]](https://c.org/x)"),
    row("[Alpha] A Different Alpha Entirely", paper="[[pdf]](https://d.org/a)"),
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["S", "T"]), st.sampled_from(_POOL)), max_size=6),
    st.lists(st.tuples(st.sampled_from(["S", "T", "U"]), st.sampled_from(_POOL)), max_size=6),
)
def test_every_paper_is_accounted_for_exactly_once(
    old_rows: list[tuple[str, str]], new_rows: list[tuple[str, str]]
) -> None:
    """Each new paper is added or changed or unchanged; each old one paired, merged or removed."""
    old = parse_catalog(_sections(old_rows))
    new = parse_catalog(_sections(new_rows))
    result = diff(old, new)
    pairs = match_papers(old, new)
    added = {p.id for p in result.added}
    changed = {c.id for c in result.changed}
    assert added.isdisjoint(changed)
    assert added | set(pairs) | changed <= set(new.by_id)
    assert len(added) + len(set(pairs) | changed) == len(new)
    old_accounted = set(pairs.values()) | {p.id for p in result.removed}
    old_accounted |= {m.before.id for m in result.merged}
    assert old_accounted == set(old.by_id)
    assert not diff(new, new)


def _sections(rows: list[tuple[str, str]]) -> str:
    by_section: dict[str, list[str]] = {}
    for section, text in rows:
        by_section.setdefault(section, []).append(text)
    return readme(*by_section.items())
