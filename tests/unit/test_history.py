"""Release history: the first release of every paper, from folders of copies or git tags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from listbot.catalog.history import EMPTY_HISTORY, History, Release, build_history, version_key
from listbot.catalog.parse import parse_catalog
from listbot.databuild.release_readmes import ReleaseSourceError, read_dates, read_folder, read_git
from tests.catalog_support import (
    SNAPSHOT,
    make_clone,
    needs_git,
    needs_upstream,
    readme,
    release,
    row,
)

ALPHA = row()
ALPHA_RENAMED = row("[**Alpha-1**] Alpha: A Fast Thing for Large Models(@Lab)")
BETA = row("[Beta] Beta: Another Work on Serving", paper="[[pdf]](https://arxiv.org/abs/2402.1)")
GAMMA = row("[Gamma] Gamma: Yet Another Work", paper="[[pdf]](https://arxiv.org/abs/2403.1)")
DELTA = row("[Delta] Delta: The Newest Work Here", paper="[[pdf]](https://arxiv.org/abs/2404.1)")
VERSIONS = {
    "v1": readme(("S", [ALPHA])),
    "v2": readme(("S", [ALPHA_RENAMED, BETA])),
    "v3": readme(("S", [ALPHA_RENAMED, GAMMA]), ("T", [BETA])),
}
"""Three releases: Alpha, then Alpha renamed and Beta, then Gamma and Beta moved."""
CURRENT = readme(("S", [DELTA, ALPHA_RENAMED, GAMMA]), ("T", [BETA]))


def history_of(versions: dict[str, str], current: str) -> History:
    parsed = [(Release(tag), parse_catalog(text)) for tag, text in versions.items()]
    return build_history(parsed, parse_catalog(current))


def test_each_paper_keeps_the_first_release_it_appeared_in() -> None:
    """A renamed, moved paper keeps its first release; ids are those of the current catalog."""
    history = history_of(VERSIONS, CURRENT)
    assert [r.tag for r in history.releases] == ["v1", "v2", "v3"]
    assert history.added_in("v1") == ["alpha1-202401"]
    assert history.added_in("v2") == ["beta-202401"]
    assert history.added_in("v3") == ["gamma-202401"]
    first = history.first_release("alpha1-202401")
    assert first is not None
    assert first.tag == "v1"


def test_papers_newer_than_the_last_release_are_unreleased() -> None:
    """Delta is only in the current catalog: no first release, listed as unreleased."""
    history = history_of(VERSIONS, CURRENT)
    assert history.first_release("delta-202401") is None
    assert history.unreleased == ("delta-202401",)


def test_releases_are_found_with_or_without_the_v() -> None:
    """`3`, `v3` and `V3` name the same release; unknown tags give nothing."""
    history = history_of(VERSIONS, CURRENT)
    assert history.release("3") == history.release("V3") == Release("v3")
    assert history.added_in("v9") == []
    assert history.release("v9") is None
    assert history.previous("v2") == Release("v1")
    assert history.previous("v1") is None
    assert history.latest_release == Release("v3")
    assert EMPTY_HISTORY.latest_release is None


def test_a_paper_gone_from_the_current_list_is_kept_as_former() -> None:
    """Gamma was released in v3 then removed: its last form stays in `former`."""
    history = history_of(VERSIONS, readme(("S", [ALPHA_RENAMED]), ("T", [BETA])))
    assert history.added_in("v3") == ["gamma-202401"]
    assert history.former["gamma-202401"].title == "Gamma: Yet Another Work"


def test_a_paper_removed_then_restored_keeps_its_first_release() -> None:
    """Beta dropped in v2 and back in v3 (with a new link form) was still added by v1."""
    versions = {
        "v1": readme(("S", [ALPHA, BETA])),
        "v2": readme(("S", [ALPHA])),
        "v3": readme(
            ("S", [ALPHA, BETA.replace("https://arxiv.org/abs/", "http://arxiv.org/pdf/")])
        ),
    }
    history = history_of(versions, versions["v3"])
    assert history.added_in("v1") == ["alpha-202401", "beta-202401"]
    assert history.added_in("v3") == []
    assert history.former == {}


def test_a_copy_edited_apart_keeps_the_release_of_its_source() -> None:
    """A copy that became its own paper was released with the paper it was copied from."""
    one = row("[TRT] NVIDIA TensorRT LLM", paper="[[docs]](https://x.io/trt)")
    two = row("[TensorRT] NVIDIA TensorRT LLM", paper="[[docs]](https://x.io/trt)")
    apart = row("[TensorRT] NVIDIA TensorRT LLM", paper="[[docs]](https://x.io/trt/v2)")
    versions = {"v1": readme(("A", [one]), ("B", [two]))}
    history = history_of(versions, readme(("A", [one]), ("B", [apart])))
    assert sorted(history.added_in("v1")) == ["tensorrt-202401", "trt-202401"]
    assert history.unreleased == ()


def test_version_tags_sort_by_their_numbers() -> None:
    """v2.6.9 comes before v2.6.10, v0.9 before v1.0."""
    tags = ["v2.6.10", "v1.0", "v2.6.9", "v0.9", "v2.6"]
    assert sorted(tags, key=version_key) == ["v0.9", "v1.0", "v2.6", "v2.6.9", "v2.6.10"]


def test_a_folder_of_copies_gives_releases_in_version_order(tmp_path: Path) -> None:
    """README@<tag>.md files are read in version order; other files are ignored."""
    for tag, text in {"v0.10": "ten", "v0.9": "nine", "v0.2": "two"}.items():
        (tmp_path / f"README@{tag}.md").write_text(text, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a release", encoding="utf-8")
    found = read_folder(tmp_path)
    assert [(r.tag, r.date, text) for r, text in found] == [
        ("v0.2", None, "two"),
        ("v0.9", None, "nine"),
        ("v0.10", None, "ten"),
    ]


def test_a_dates_file_dates_the_copies(tmp_path: Path) -> None:
    """`dates.txt` beside the copies gives each tag its date; comments are ignored."""
    (tmp_path / "README@v1.md").write_text("one", encoding="utf-8")
    (tmp_path / "README@v2.md").write_text("two", encoding="utf-8")
    (tmp_path / "dates.txt").write_text("# tag date\nv1 2024-01-05\nv2 2024-03-01 # ok\n")
    assert [r.date for r, _ in read_folder(tmp_path)] == [dt.date(2024, 1, 5), dt.date(2024, 3, 1)]
    assert read_dates(tmp_path / "dates.txt") == {
        "v1": dt.date(2024, 1, 5),
        "v2": dt.date(2024, 3, 1),
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the dates file"),
        (b"\xff\xfe", "cannot read the dates file"),
        (b"v1 2024-01-05\nv2 2024-13-01\n", "dates.txt:2: month must be in 1..12"),
    ],
    ids=["missing", "not utf-8", "impossible date"],
)
def test_a_bad_dates_file_is_an_error_naming_it(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    """A missing, undecodable or wrong dates file raises ReleaseSourceError naming the file."""
    dates = tmp_path / "dates.txt"
    if content is not None:
        dates.write_bytes(content)
    with pytest.raises(ReleaseSourceError, match=message):
        read_dates(dates)


def test_a_folder_without_copies_is_an_error(tmp_path: Path) -> None:
    """No README@<tag>.md: ReleaseSourceError naming the folder."""
    with pytest.raises(ReleaseSourceError, match=str(tmp_path)):
        read_folder(tmp_path)


@needs_git
def test_a_git_clone_gives_tags_with_their_dates(tmp_path: Path) -> None:
    """Tags holding README.md are releases dated by the tag; others are skipped."""
    make_clone(tmp_path / "list", {"v1": VERSIONS["v1"], "v2": VERSIONS["v2"]})
    found = read_git(tmp_path / "list")
    assert [r for r, _ in found] == [
        Release("v1", dt.date(2024, 1, 15)),
        Release("v2", dt.date(2024, 2, 15)),
    ]
    assert found[1][1] == VERSIONS["v2"]
    history = build_history([(r, parse_catalog(t)) for r, t in found], parse_catalog(CURRENT))
    first = history.first_release("beta-202401")
    assert first == Release("v2", dt.date(2024, 2, 15))


@needs_git
@needs_upstream
def test_a_git_clone_and_a_folder_of_the_same_real_releases_give_one_history(
    tmp_path: Path,
) -> None:
    """Three real releases as tags or as copies add the same papers; tags give dates."""
    tags = ("v2.6.18", "v2.6.19", "v2.6.20")
    make_clone(tmp_path / "list", {tag: release(tag) for tag in tags})
    folder = tmp_path / "copies"
    folder.mkdir()
    for tag in tags:
        (folder / f"README@{tag}.md").write_text(release(tag), encoding="utf-8")
    current = parse_catalog(SNAPSHOT.read_text(encoding="utf-8"))
    histories = [
        build_history([(r, parse_catalog(text)) for r, text in found], current)
        for found in (read_git(tmp_path / "list"), read_folder(folder))
    ]
    from_git, from_folder = histories
    assert from_git.added == from_folder.added
    assert (from_git.unreleased, from_git.former) == (from_folder.unreleased, from_folder.former)
    assert [r.tag for r in from_git.releases] == list(tags)
    assert [r.date for r in from_git.releases] == [dt.date(2024, m, 15) for m in (1, 2, 3)]
    assert len(from_git.added_in("v2.6.20")) == 8
    assert len(from_git.unreleased) == 18


def test_something_that_is_not_a_git_clone_is_an_error(tmp_path: Path) -> None:
    """read_git on a plain folder raises ReleaseSourceError with git's own reason."""
    with pytest.raises(ReleaseSourceError, match="fatal: not a git repository"):
        read_git(tmp_path)
