"""Identity: a paper keeps its id through edits, moves and copies; different works differ."""

from __future__ import annotations

import re

import pytest

from listbot.catalog.identity import canonical_url, name_key, normalize, title_similarity
from listbot.catalog.model import Catalog, Paper
from listbot.catalog.parse import parse_catalog
from tests.catalog_support import (
    EDITS,
    SNAPSHOT,
    VLLM_LINE,
    edit_copies,
    edit_line,
    move_line,
    readme,
    row,
)

TEXT = SNAPSHOT.read_text(encoding="utf-8")
ORIGINAL = parse_catalog(TEXT)


def vllm(catalog: Catalog) -> Paper:
    (paper,) = [p for p in catalog.papers if name_key(p.short) in {"vllm", "pagedattention"}]
    return paper


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://arxiv.org/pdf/2309.06180.pdf", "arxiv:2309.06180"),
        ("http://www.arxiv.org/abs/2309.06180v3", "arxiv:2309.06180"),
        ("https://arxiv.org/html/2309.06180v1#S2", "arxiv:2309.06180"),
        ("https://openreview.net/pdf?id=a3l3K9khbL", "openreview:a3l3K9khbL"),
        ("https://openreview.net/forum?id=a3l3K9khbL", "openreview:a3l3K9khbL"),
        ("HTTP://WWW.GitHub.com/vllm-project/vllm/", "github.com/vllm-project/vllm"),
        ("https://github.com/vllm-project/vllm#readme", "github.com/vllm-project/vllm"),
        ("", None),
        (None, None),
    ],
)
def test_canonical_links_ignore_how_a_link_is_written(url: str | None, key: str | None) -> None:
    """Scheme, www, host case, trailing slash, fragments, pdf/abs and versions are ignored."""
    assert canonical_url(url) == key


def test_name_keys_ignore_case_emphasis_emoji_spacing_and_category_tags() -> None:
    """`FlashAttention-3`, `Flash Attention 3` and `**flashattention3**🔥` are one name."""
    assert {
        name_key(s) for s in ("FlashAttention-3", "Flash Attention 3", "**flashattention3**🔥")
    } == {"flashattention3"}
    assert name_key("SP: Ring Attention") == name_key("RingAttention") == "ringattention"
    assert name_key("DeFT: a thing") == "deftathing"


def test_normalised_text_keeps_letters_of_every_script() -> None:
    """Accents go, CJK letters stay, punctuation and emoji become spaces."""
    assert normalize("Café—Über  🔥推理系统!") == "cafe uber 推理系统"
    assert title_similarity("A B C", "a, b; c") == 1.0
    assert title_similarity("", "") == 1.0
    assert title_similarity("a b", "c d") == 0.0


@pytest.mark.parametrize("edit", EDITS, ids=str)
def test_an_edited_row_keeps_its_id(edit: str) -> None:
    """Each listed edit of the vLLM row, alone, leaves the paper's id and the paper count."""
    old, new = EDITS[edit]
    catalog = parse_catalog(edit_line(TEXT, VLLM_LINE, old, new))
    assert vllm(catalog).id == vllm(ORIGINAL).id == "vllm-202309"
    assert len(catalog) == len(ORIGINAL)


@pytest.mark.parametrize("edit", EDITS, ids=str)
def test_an_edit_of_every_copy_keeps_the_id(edit: str) -> None:
    """The same edits made to both copies (vLLM and PagedAttention) keep the one paper."""
    old, new = EDITS[edit]
    catalog = parse_catalog(edit_copies(old, new))
    paper = vllm(catalog)
    assert paper.id == "vllm-202309"
    assert len(paper.sections) == 2


def test_a_moved_row_keeps_its_id_and_changes_its_section() -> None:
    """vLLM moved to Continuous Batching keeps its id; its sections follow the row."""
    catalog = parse_catalog(move_line(TEXT, VLLM_LINE, "Continuous/In-flight Batching"))
    paper = vllm(catalog)
    assert paper.id == "vllm-202309"
    assert "Continuous/In-flight Batching" in paper.sections
    assert "LLM Train/Inference Framework/Design" not in paper.sections


def test_a_copied_row_is_one_paper_with_one_more_section() -> None:
    """Copying the vLLM row into a third section adds a section, not a paper."""
    catalog = parse_catalog(move_line(TEXT, VLLM_LINE, "Continuous/In-flight Batching", keep=True))
    assert len(catalog) == len(ORIGINAL)
    assert vllm(catalog).sections == (
        "LLM Train/Inference Framework/Design",
        "Continuous/In-flight Batching",
        "KV Cache Scheduling/Quantize/Dropping",
    )


MINFERENCE_LINES = (88, 282, 404)
"""The three copies of MInference 1.0 in the snapshot; the third is named `[MInference]`."""


def test_a_copy_with_a_corrected_date_and_link_stays_with_its_other_copies() -> None:
    """MInference's first copy gets a new link and month: its three copies stay one paper."""
    text = edit_line(TEXT, MINFERENCE_LINES[0], "|2024.07|", "|2024.08|")
    text = edit_line(text, MINFERENCE_LINES[0], "arxiv.org/pdf/2407.02490", "nips.cc/2024/mi.pdf")
    papers = [p for p in parse_catalog(text).papers if p.line in MINFERENCE_LINES]
    assert [(p.id, len(p.sections)) for p in papers] == [("minference10-202408", 3)]
    assert len(parse_catalog(text)) == len(ORIGINAL)


def test_every_id_of_a_catalog_is_unique() -> None:
    """No two papers of the snapshot share an id."""
    ids = [p.id for p in ORIGINAL.papers]
    assert len(ids) == len(set(ids))


def test_different_works_sharing_a_name_and_month_get_different_ids() -> None:
    """Of two [Speculative Decoding] papers of a month, the first by initials keeps the id."""
    first = row("[Speculative Decoding] Parallel Speculative Decoding with Adaptive Draft Length")
    second = row(
        "[Speculative Decoding] Boosting Lossless Speculative Decoding via Feature Sampling",
        paper="[[pdf]](https://arxiv.org/pdf/2408.15562)",
    )
    for rows in ([first, second], [second, first]):
        ids = {p.title[:8]: p.id for p in parse_catalog(readme(("Decoding", rows))).papers}
        assert ids == {
            "Parallel": "speculativedecoding-202401-psdwadl",
            "Boosting": "speculativedecoding-202401",
        }


def test_an_existing_work_keeps_its_id_when_a_junior_namesake_is_added() -> None:
    """A namesake of the same month with later initials, above or below, changes no id."""
    alone = parse_catalog(readme(("S", [row()])))
    other = row("[**Alpha**] Alpha Two: Something Else Entirely", paper="[[pdf]](https://x.org/a)")
    for sections in ((("S", [row()]), ("T", [other])), (("T", [other]), ("S", [row()]))):
        ids = {p.title: p.id for p in parse_catalog(readme(*sections)).papers}
        assert ids[alone.papers[0].title] == alone.papers[0].id == "alpha-202401"
        assert ids["Alpha Two: Something Else Entirely"] == "alpha-202401-atsee"


def test_a_row_without_a_short_name_gets_an_id_from_its_title_initials() -> None:
    """Without a tag, the id is `t` and the title's initials, robust to typos inside words."""
    catalog = parse_catalog(readme(("S", [row("Large Language Model Serving Benchmarks")])))
    typo = parse_catalog(readme(("S", [row("Large Langauge Model Serving Benchmark")])))
    assert catalog.papers[0].id == typo.papers[0].id == "tllmsb-202401"


def test_an_unreadable_date_gives_a_nodate_id() -> None:
    """A row dated 2024.13 is kept with id `<name>-nodate`."""
    (paper,) = parse_catalog(readme(("S", [row(date="2024.13")]))).papers
    assert paper.id == "alpha-nodate"


def _typo(line: str) -> str:
    """Swap two letters inside the longest word of the title (after the short name)."""
    head, _, rest = line.partition("]")
    words = re.findall(r"[A-Za-z]{6,}", rest.split("|", 1)[0])
    if not words:
        return line
    word = max(words, key=len)
    return head + "]" + rest.replace(word, word[:2] + word[3] + word[2] + word[4:], 1)


GENERIC_EDITS = {
    "pdf to abs v2": lambda line: re.sub(
        r"arxiv\.org/pdf/(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?", r"arxiv.org/abs/\1v2", line
    ),
    "https to http": lambda line: line.replace("https://", "http://"),
    "trailing slash": lambda line: re.sub(r"(https://github\.com/[^)\s]+?)\)", r"\1/)", line),
    "bold toggled": lambda line: (
        re.sub(r"\[\*\*([^\]]*?)\*\*\]", r"[\1]", line, count=1)
        if "[**" in line
        else re.sub(r"\[([^\]\[]+)\]", r"[**\1**]", line, count=1)
    ),
    "emoji added": lambda line: re.sub(r"^(\|[^|]*\|\s*)", r"\1🔥✨", line),
    "title typo": _typo,
    "repo renamed": lambda line: re.sub(
        r"github\.com/([^/)\s]+)/([^/)\s]+?)\)", r"github.com/\1-org/\2-next)", line, count=1
    ),
    "newer paper link": lambda line: re.sub(
        r"\[\[([^\]]*)\]\]\((https?://[^)]*)\)",
        r"[[\1]](https://example.org/v2.pdf)",
        line,
        count=1,
    ),
}
SAMPLE = ORIGINAL.papers[::7]


def _last_table_row(lines: list[str]) -> int:
    return max(i for i, line in enumerate(lines) if line.startswith("|20"))


@pytest.mark.parametrize("edit", [*GENERIC_EDITS, "moved", "copied"])
def test_every_seventh_real_paper_keeps_its_id_through_each_edit(edit: str) -> None:
    """Each edit of a real row (or its move or copy to the last section) keeps every id."""
    for paper in SAMPLE:
        lines = TEXT.split("\n")
        if edit in GENERIC_EDITS:
            lines[paper.line - 1] = GENERIC_EDITS[edit](lines[paper.line - 1])
        else:
            moved = lines[paper.line - 1] if edit == "copied" else lines.pop(paper.line - 1)
            lines.insert(_last_table_row(lines) + 1, moved)
        catalog = parse_catalog("\n".join(lines))
        assert set(catalog.by_id) == set(ORIGINAL.by_id), (edit, paper.id)


def test_copies_under_other_short_names_become_aliases_of_the_paper() -> None:
    """A copy named differently keeps that name as an alias; bold and case do not count."""
    first = row("[**SGLang**] Efficiently Programming Large Language Models using SGLang(@UCB)")
    copy = row("[RadixAttention] Efficiently Programming Large Language Models using SGLang(@UCB)")
    same = row("[**sglang**] Efficiently Programming Large Language Models using SGLang(@UCB)")
    catalog = parse_catalog(readme(("Serving", [first]), ("Cache", [copy]), ("Other", [same])))
    [paper] = catalog.papers
    assert (paper.short, paper.aliases) == ("SGLang", ("RadixAttention",))
