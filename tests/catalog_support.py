"""Shared helpers for the catalog tests: the real versions of the list, and synthetic rows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UPSTREAM = Path(os.environ.get("LISTBOT_UPSTREAM", ROOT.parent / "shared" / "upstream"))
RELEASES = UPSTREAM / "releases"
MAIN = UPSTREAM / "README@main-2026-07-26.md"
SNAPSHOT = ROOT / "data" / "awesome-llm-inference.md"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
needs_upstream = pytest.mark.skipif(
    not RELEASES.is_dir(), reason=f"the list's release copies are not in {UPSTREAM}"
)


def version_files() -> list[Path]:
    """Every real version of the list: the release copies and the main snapshot."""
    if not RELEASES.is_dir():
        return []
    return [*sorted(RELEASES.glob("README@*.md")), MAIN]


def release(tag: str) -> str:
    """The README text of a release (``main`` for the 2026-07-26 snapshot)."""
    path = MAIN if tag == "main" else RELEASES / f"README@{tag}.md"
    return path.read_text(encoding="utf-8")


_DATE_CELL = re.compile(r"\d{4}[./-]\d{1,2}")


def dated_row_lines(text: str) -> list[int]:
    """Line numbers of table lines whose first cell is a date (counted without the parser)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if "|" not in stripped:
            continue
        first = stripped.removeprefix("|").split("|", 1)[0].strip()
        if _DATE_CELL.fullmatch(first):
            found.append(number)
    return found


def row(
    title: str = "[**Alpha**] Alpha: A Fast Thing for Large Models(@Lab)",
    paper: str = "[[pdf]](https://arxiv.org/pdf/2401.01234)",
    code: str = "[[alpha]](https://github.com/lab/alpha)",
    recom: str = "⭐️",
    date: str = "2024.01",
) -> str:
    """One 5-column table row of the list."""
    return f"|{date}|{title}|{paper}|{code}|{recom}|"


def readme(*sections: tuple[str, list[str]]) -> str:
    """A small README: each section a heading and a 5-column table of rows."""
    parts = ["# Awesome test list", "", "Some intro text with a [link](https://example.com)."]
    for name, rows in sections:
        parts += ["", f"### 📖{name} ([©️back👆🏻](#paperlist))", ""]
        parts += ["|Date|Title|Paper|Code|Recom|", "|:---:|:---:|:---:|:---:|:---:|", *rows]
    return "\n".join(parts) + "\n"


VLLM_LINE = 174
"""The vLLM row of the snapshot; its copy in another section is `[**PagedAttention**]`."""
PAGED_LINE = 314
"""The `[**PagedAttention**]` copy of the vLLM row."""

EDITS: dict[str, tuple[str, str]] = {
    "pdf link to abs": ("arxiv.org/pdf/2309.06180.pdf", "arxiv.org/abs/2309.06180"),
    "arXiv version suffix": ("arxiv.org/pdf/2309.06180.pdf", "arxiv.org/pdf/2309.06180v2.pdf"),
    "https to http": (
        "https://arxiv.org/pdf/2309.06180.pdf",
        "http://arxiv.org/pdf/2309.06180.pdf",
    ),
    "trailing slash and www": (
        "https://github.com/vllm-project/vllm)",
        "https://www.github.com/vllm-project/vllm/)",
    ),
    "title typo": ("Efficient Memory Management", "Efficient Memory Managment"),
    "title case and spacing": ("Large Language Model Serving", "large language  model serving"),
    "bold removed": ("[**vLLM**]", "[vLLM]"),
    "emoji changed": ("🔥[**vLLM**]", "🌟🔥🔥🔥[**vLLM** 🚀]"),
    "short name hyphenated": ("[**vLLM**]", "[**v-LLM**]"),
    "code repository moved": ("github.com/vllm-project/vllm)", "github.com/vllm-org/vllm-engine)"),
    "newer version of the paper": (
        "https://arxiv.org/pdf/2309.06180.pdf",
        "https://dl.acm.org/doi/10.1145/3600006.3613165",
    ),
    "stars and fire changed": ("|⭐️⭐️ |", "|⭐️⭐️⭐️|"),
}
"""Edits of a row that must keep its paper's identity: name to (old text, new text)."""


def edit_line(text: str, line: int, old: str, new: str) -> str:
    """The text with ``old`` replaced by ``new`` on one line (1-based); it must occur there."""
    lines = text.split("\n")
    assert old in lines[line - 1], (old, lines[line - 1][:80])
    lines[line - 1] = lines[line - 1].replace(old, new)
    return "\n".join(lines)


def move_line(text: str, line: int, before_heading: str, *, keep: bool = False) -> str:
    """The text with a row moved (or copied, ``keep``) to the end of another section's table."""
    lines = text.split("\n")
    moved = lines[line - 1]
    if not keep:
        del lines[line - 1]
    start = next(i for i, x in enumerate(lines) if x.startswith("#") and before_heading in x)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#"))
    last_row = max(i for i in range(start, end) if lines[i].startswith("|"))
    lines.insert(last_row + 1, moved)
    return "\n".join(lines)


def edit_copies(old: str, new: str) -> str:
    """The snapshot with an edit made on both copies of vLLM where the old text occurs."""
    text = SNAPSHOT.read_text(encoding="utf-8")
    for line in (VLLM_LINE, PAGED_LINE):
        if old in text.split("\n")[line - 1]:
            text = edit_line(text, line, old, new)
    return text


def git(repo: Path, *args: str, date: str = "2024-01-01T12:00:00+00:00") -> None:
    """Run git in ``repo`` with fixed dates and identity, ignoring the user's configuration."""
    environment = {
        **os.environ,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    subprocess.run(
        ["git", "-C", str(repo), *args], check=True, env=environment, capture_output=True
    )


def make_clone(repo: Path, versions: dict[str, str]) -> None:
    """A git repository tagged `v0.0` without a README, then one annotated tag per version of
    the list, dated the 15th of January, February... 2024."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "other.txt").write_text("x", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start", date="2023-12-01T10:00:00+00:00")
    git(repo, "tag", "v0.0")
    for n, (tag, text) in enumerate(versions.items(), start=1):
        date = f"2024-{n:02d}-15T10:00:00+00:00"
        (repo / "README.md").write_text(text, encoding="utf-8")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", tag, date=date)
        git(repo, "tag", "-a", tag, "-m", tag, date=date)
