"""The bundled data/: loads fast and whole, matches the snapshot, and is rebuilt identically."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from listbot.catalog.bundle import (
    CATALOG_FILE,
    HISTORY_FILE,
    BundleError,
    data_dir,
    load_bundle,
    load_bundled,
)
from listbot.catalog.compact import (
    FORMAT,
    FormatError,
    catalog_from_compact,
    catalog_to_compact,
    history_from_compact,
    history_to_compact,
)
from listbot.catalog.history import History, Release, build_history
from listbot.catalog.parse import parse_catalog
from listbot.cli import main
from listbot.databuild.build import DataError, read_snapshot, read_source, render_catalog
from listbot.databuild.release_readmes import read_folder
from tests.catalog_support import (
    MAIN,
    RELEASES,
    ROOT,
    SNAPSHOT,
    make_clone,
    needs_git,
    needs_upstream,
    readme,
    row,
)

DATA = ROOT / "data"


def test_the_data_folder_is_found_in_the_source_tree() -> None:
    """data_dir() is the repository's data/ when running from a checkout."""
    assert data_dir() == DATA


def test_the_bundle_holds_the_parsed_snapshot() -> None:
    """The bundled catalog equals a fresh parse of data/awesome-llm-inference.md."""
    bundle = load_bundled()
    assert bundle.catalog.papers == parse_catalog(SNAPSHOT.read_text(encoding="utf-8")).papers
    assert len(bundle.catalog) == 331
    assert bundle.catalog.rows == 363
    assert bundle.catalog.by_id["vllm-202309"].short == "vLLM"


def test_the_bundle_names_its_source_and_license() -> None:
    """Source: the upstream repository, the snapshot's date, GPL-3.0, the file name."""
    source = load_bundled().source
    assert source.url == "https://github.com/xlite-dev/Awesome-LLM-Inference"
    assert (source.date, source.license) == ("2026-07-26", "GPL-3.0")
    assert (DATA / source.file).read_bytes() == SNAPSHOT.read_bytes()


@needs_upstream
def test_the_snapshot_is_the_upstream_copy_of_main_unmodified() -> None:
    """data/awesome-llm-inference.md is byte for byte the list's README of 2026-07-26."""
    assert SNAPSHOT.read_bytes() == MAIN.read_bytes()


def test_the_bundled_history_covers_every_paper_of_the_catalog() -> None:
    """Every paper has a first release or is unreleased; releases run v0.1 to v2.6.20."""
    bundle = load_bundled()
    history = bundle.history
    assert (history.releases[0].tag, history.releases[-1].tag) == ("v0.1", "v2.6.20")
    assert len(history.releases) == 45
    assert all(release.date is None for release in history.releases)
    released = {paper_id for ids in history.added.values() for paper_id in ids}
    assert released | set(history.unreleased) == set(bundle.catalog.by_id) | set(history.former)
    assert len(history.unreleased) == 18


def test_what_a_release_added_is_answered_offline() -> None:
    """v2.6.13 added DeepSeek NSA; FlashAttention (2022) arrived with v0.2, vLLM too."""
    history = load_bundled().history
    assert history.added_in("v2.6.13") == ["deepseeknsa-202502"]
    assert history.first_release("flashattention-202205") == Release("v0.2")
    assert history.first_release("vllm-202309") == Release("v0.2")
    assert "onecomp-202603" in history.unreleased


def test_compact_json_round_trips_a_catalog_and_a_history() -> None:
    """Reading what was written gives equal papers, sections, warnings and history."""
    catalog = parse_catalog(SNAPSHOT.read_text(encoding="utf-8"))
    again = catalog_from_compact(json.loads(json.dumps(catalog_to_compact(catalog))))
    assert (again.papers, again.sections, again.warnings, again.rows) == (
        catalog.papers,
        catalog.sections,
        catalog.warnings,
        catalog.rows,
    )
    old = parse_catalog(readme(("S", [row(), row("[Gone] Gone Work", paper="-")])))
    history = build_history([(Release("v1"), old)], parse_catalog(readme(("S", [row()]))))
    back = history_from_compact(json.loads(json.dumps(history_to_compact(history))))
    assert back == History(history.releases, history.added, history.unreleased, history.former)


def test_data_of_another_format_version_is_refused() -> None:
    """A catalog file of another format raises FormatError, not a KeyError."""
    with pytest.raises(FormatError, match=f"format {FORMAT}"):
        catalog_from_compact({"format": 99})
    with pytest.raises(FormatError):
        history_from_compact([])  # type: ignore[arg-type]


def test_the_committed_catalog_is_current() -> None:
    """data/catalog.json is what `listbot data build` makes of the committed snapshot."""
    source = read_source(DATA)
    assert (DATA / CATALOG_FILE).read_bytes() == render_catalog(read_snapshot(DATA, source), source)


@needs_upstream
def test_the_committed_data_is_current_with_the_release_copies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`listbot data check` against the release copies finds nothing stale."""
    assert main(["data", "check", "--releases", str(RELEASES)]) == 0
    assert capsys.readouterr().out == ""


def copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for name in ("SOURCE.md", SNAPSHOT.name):
        shutil.copy(DATA / name, target / name)
    return target


def small_releases(tmp_path: Path) -> Path:
    folder = tmp_path / "releases"
    folder.mkdir()
    (folder / "README@v1.md").write_text(readme(("S", [row()])), encoding="utf-8")
    return folder


def test_building_twice_gives_byte_identical_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second build writes nothing, and the files load as a bundle."""
    data, folder = copy_data(tmp_path), small_releases(tmp_path)
    argv = ["data", "build", "--releases", str(folder), "--data", str(data)]
    assert main(argv) == 0
    first = {name: (data / name).read_bytes() for name in (CATALOG_FILE, HISTORY_FILE)}
    assert main(argv) == 0
    assert {name: (data / name).read_bytes() for name in first} == first
    assert capsys.readouterr().out.endswith("derived files are current\n")
    bundle = load_bundle(data)
    assert bundle.history.added_in("v1") == ["alpha-202401"]
    assert len(bundle.history.unreleased) == len(bundle.catalog) == 331
    assert bundle.history.former["alpha-202401"].title == "Alpha: A Fast Thing for Large Models"


def test_a_stale_file_is_reported_by_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After the snapshot changes, `listbot data check` exits 1 naming the stale file."""
    data, folder = copy_data(tmp_path), small_releases(tmp_path)
    main(["data", "build", "--releases", str(folder), "--data", str(data)])
    with (data / SNAPSHOT.name).open("a", encoding="utf-8") as snapshot:
        snapshot.write("\n## New\n|Date|Title|Paper|Code|\n|2026.08|[Z] Zed Work|-|-|\n")
    capsys.readouterr()
    assert main(["data", "check", "--releases", str(folder), "--data", str(data)]) == 1
    assert "catalog.json is not current" in capsys.readouterr().out


def test_a_data_folder_without_source_lines_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SOURCE.md without its `- key: value` lines: one-line error, exit 2."""
    data, folder = copy_data(tmp_path), small_releases(tmp_path)
    (data / "SOURCE.md").write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(DataError, match="lacks"):
        read_source(data)
    assert main(["data", "build", "--releases", str(folder), "--data", str(data)]) == 2
    assert capsys.readouterr().err.startswith("listbot: error: ")


def test_a_missing_releases_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--upstream` without a releases/ folder: one-line error, exit 2."""
    assert main(["data", "build", "--upstream", str(tmp_path), "--data", str(tmp_path)]) == 2
    assert "is not a folder" in capsys.readouterr().err


@needs_upstream
def test_the_release_copies_read_in_version_order() -> None:
    """The 45 copies run v0.1, v0.2 ... v2.6.9, v2.6.10 ... v2.6.20."""
    tags = [release.tag for release, _ in read_folder(RELEASES)]
    assert tags[:2] == ["v0.1", "v0.2"]
    assert tags.index("v2.6.9") + 1 == tags.index("v2.6.10")
    assert tags[-1] == "v2.6.20"


@needs_git
def test_data_build_reads_release_dates_from_a_git_clone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`listbot data build --git CLONE` dates each release by its tag; --dates overrides one."""
    make_clone(tmp_path / "list", {"v1": readme(("S", [row()]))})
    data = copy_data(tmp_path)
    assert main(["data", "build", "--git", str(tmp_path / "list"), "--data", str(data)]) == 0
    assert load_bundle(data).history.releases == (Release("v1", dt.date(2024, 1, 15)),)
    dates = tmp_path / "dates.txt"
    dates.write_text("v1 2024-01-31\n", encoding="utf-8")
    argv = ["data", "build", "--git", str(tmp_path / "list"), "--dates", str(dates)]
    assert main([*argv, "--data", str(data)]) == 0
    assert load_bundle(data).history.release("v1") == Release("v1", dt.date(2024, 1, 31))


@pytest.mark.parametrize("damage", ["missing", "truncated", "other format"])
def test_damaged_bundled_data_raises_one_clear_error(tmp_path: Path, damage: str) -> None:
    """A missing, truncated or foreign data file is a BundleError that says how to fix it."""
    for name in (CATALOG_FILE, HISTORY_FILE):
        shutil.copy(DATA / name, tmp_path / name)
    catalog = tmp_path / CATALOG_FILE
    if damage == "missing":
        catalog.unlink()
    elif damage == "truncated":
        catalog.write_bytes(catalog.read_bytes()[:1000])
    else:
        catalog.write_text('{"format": 0, "source": {}}', encoding="utf-8")
    with pytest.raises(BundleError, match="make data"):
        load_bundle(tmp_path)
