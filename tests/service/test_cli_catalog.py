"""`listbot parse` and `listbot diff`: stable JSON, readable text, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from listbot.cli import main
from tests.catalog_support import SNAPSHOT, edit_copies, needs_upstream, readme, release, row

PAPER_KEYS = [
    *("id", "short", "title", "org", "date", "sections"),
    *("paper_url", "code_url", "hot", "recom"),
]


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | bytes | None = None
) -> tuple[int, str, str]:
    """Run the command line in-process; return status, standard output and error."""
    saved = sys.stdin
    if stdin is not None:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    try:
        status = main(list(argv))
    finally:
        sys.stdin = saved
    out, err = capsys.readouterr()
    return status, out, err


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def test_parse_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    """papers (with exactly the documented keys), sections and warnings with line numbers."""
    status, out, _ = run(capsys, "parse", str(SNAPSHOT), "--json")
    document = json.loads(out)
    assert status == 0
    assert list(document) == ["papers", "sections", "warnings"]
    assert all(list(paper) == PAPER_KEYS for paper in document["papers"])
    assert document["warnings"] == [{"line": 127, "message": "empty paper link [pdf]()"}]
    vllm = next(p for p in document["papers"] if p["id"] == "vllm-202309")
    assert vllm["date"] == "2023-09"
    assert vllm["paper_url"] == "https://arxiv.org/pdf/2309.06180.pdf"
    assert (vllm["hot"], vllm["recom"]) == (2, 2)


def test_parse_reads_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    """`-` reads the README from standard input."""
    status, out, _ = run(capsys, "parse", "-", "--json", stdin=readme(("S", [row()])))
    assert status == 0
    assert [p["id"] for p in json.loads(out)["papers"]] == ["alpha-202401"]


def test_parse_without_json_lists_papers_and_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each paper on a line with its date and id, then the counts."""
    status, out, _ = run(capsys, "parse", str(SNAPSHOT))
    assert status == 0
    assert "2023-09  vLLM  [vllm-202309]" in out
    assert out.splitlines()[-1] == "331 papers in 21 sections, 1 warnings"


def test_diff_json_has_the_documented_shape(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Exactly added, changed ({id, fields, before, after}) and removed, of paper objects."""
    old = write(tmp_path, "old.md", readme(("S", [row()])))
    new_rows = [row(title="[**Alpha**] Alpha: A Fast Thing for Large Model(@Lab)"), row("[B] Beta")]
    new = write(tmp_path, "new.md", readme(("S", new_rows)))
    status, out, _ = run(capsys, "diff", old, new, "--json")
    document = json.loads(out)
    assert status == 0
    assert list(document) == ["added", "changed", "removed"]
    assert [p["id"] for p in document["added"]] == ["b-202401"]
    (change,) = document["changed"]
    assert list(change) == ["id", "fields", "before", "after"]
    assert (change["id"], change["fields"]) == ("alpha-202401", ["title"])
    assert list(change["before"]) == list(change["after"]) == PAPER_KEYS
    assert document["removed"] == []


@needs_upstream
@pytest.mark.parametrize(
    ("old", "new"), [("v2.6.15", "v2.6.16"), ("v1.0", "v1.1"), ("v0.3", "v2.0")]
)
def test_diff_json_fields_are_exactly_the_keys_that_differ(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: str, new: str
) -> None:
    """Real releases: `fields` are the keys whose values differ, `id` is the after's."""
    paths = [write(tmp_path, f"{tag}.md", release(tag)) for tag in (old, new)]
    status, out, _ = run(capsys, "diff", *paths, "--json")
    document = json.loads(out)
    assert status == 0
    assert list(document) == ["added", "changed", "removed"]
    assert document["changed"]
    for change in document["changed"]:
        before, after = change["before"], change["after"]
        assert change["fields"] == [key for key in PAPER_KEYS if before[key] != after[key]]
        assert change["id"] == after["id"]
    papers = [*document["added"], *document["removed"]]
    papers += [c[side] for c in document["changed"] for side in ("before", "after")]
    assert all(list(paper) == PAPER_KEYS for paper in papers)


def test_diff_reads_one_side_from_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    """`listbot diff OLD -` reads NEW from standard input; an edited row is changed."""
    edited = edit_copies("arxiv.org/pdf/2309.06180.pdf", "arxiv.org/abs/2309.06180")
    status, out, _ = run(capsys, "diff", str(SNAPSHOT), "-", "--json", stdin=edited)
    document = json.loads(out)
    assert status == 0
    assert document["added"] == document["removed"] == []
    assert [(c["id"], c["fields"]) for c in document["changed"]] == [("vllm-202309", ["paper_url"])]


@needs_upstream
def test_diff_without_json_is_one_line_per_difference(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Added lines start with +, changed with ~, moves with >, then a summary."""
    old = write(tmp_path, "a.md", release("v2.6.15"))
    new = write(tmp_path, "b.md", release("v2.6.16"))
    status, out, _ = run(capsys, "diff", old, new)
    lines = out.splitlines()
    assert status == 0
    assert lines[0].startswith("+ 2025-05  FSDP 1/2: PyTorch FSDP")
    assert "~ sglang-202312 (was radixattention-202312): id, short, sections" in lines
    assert lines[-1] == "4 added, 15 changed (14 moved), 0 removed"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "is a binary file"),
        (b"caf\xe9 latin-1 text", "is not UTF-8 text"),
        ("# Just a heading\n\nSome prose, no table.\n", "holds no table rows of the list"),
    ],
    ids=["missing", "empty", "binary", "not utf-8", "not a list"],
)
@pytest.mark.parametrize("command", ["parse", "diff old", "diff new"])
def test_bad_input_is_a_one_line_error_with_status_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: str | bytes | None,
    message: str,
    command: str,
) -> None:
    """Missing, empty, binary, non-UTF-8 or non-list input: one line on stderr, exit 2."""
    bad = str(tmp_path / "bad.md") if content is None else write(tmp_path, "bad.md", content)
    argv = {"parse": ["parse", bad], "diff old": ["diff", bad, str(SNAPSHOT)]}
    argv["diff new"] = ["diff", str(SNAPSHOT), bad]
    status, out, err = run(capsys, *argv[command], "--json")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("listbot: error: ")
    assert message in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "standard input is empty"),
        (b"\x00\x01\x02", "standard input is a binary file, not a markdown list"),
        (b"caf\xe9 latin-1 text", "standard input is not UTF-8 text"),
        (b"\xef\xbb\xbf# Prose only\n", "standard input holds no table rows of the list"),
        (None, "standard input is closed"),
    ],
    ids=["empty", "binary", "not utf-8", "not a list", "closed"],
)
@pytest.mark.parametrize("argv", [["parse", "-"], ["diff", str(SNAPSHOT), "-"]], ids=" ".join)
def test_bad_standard_input_is_a_one_line_error(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: bytes | None,
    message: str,
    argv: list[str],
) -> None:
    """`-` with empty, binary, non-UTF-8, non-list or closed standard input: one line, exit 2."""
    if content is None:
        monkeypatch.setattr(sys, "stdin", None)
    status, out, err = run(capsys, *argv, "--json", stdin=content)
    assert (status, out) == (2, "")
    assert err == f"listbot: error: {message}\n"


def test_an_error_naming_a_file_stays_on_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A missing file whose name holds a line break is still reported on one line."""
    status, _, err = run(capsys, "parse", str(tmp_path / "two\nlines.md"))
    assert status == 2
    assert err.count("\n") == 1
    assert err.startswith("listbot: error: cannot read ")


def test_both_sides_on_standard_input_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """`listbot diff - -` cannot read two files from one stream."""
    status, _, err = run(capsys, "diff", "-", "-", stdin="x")
    assert status == 2
    assert "only one of OLD and NEW" in err


def test_the_installed_command_reports_errors_without_a_traceback(tmp_path: Path) -> None:
    """`python -m listbot diff` on a binary file exits 2 with one line and no traceback."""
    binary = write(tmp_path, "x.bin", b"\x00\x01\x02")
    result = subprocess.run(
        [sys.executable, "-m", "listbot", "diff", binary, str(SNAPSHOT), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.stderr
