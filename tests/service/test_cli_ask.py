"""``listbot ask`` and ``listbot chat`` on the console."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from listbot.catalog.jsonio import paper_to_json
from listbot.cli import main
from listbot.cli.console import history_path
from tests.catalog_support import RELEASES, needs_upstream

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; the status, stdout and stderr."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_ask_json_has_the_contract_shape(capsys: pytest.CaptureFixture[str], bundle) -> None:
    """--json prints exactly command, the decisive paper object and scored results in order."""
    status, out, _ = run(capsys, "ask", "--json", "/paper vllm")
    data = json.loads(out)
    assert status == 0
    assert set(data) == {"command", "answer", "results"}
    assert data["command"] == "paper"
    vllm = next(p for p in bundle.catalog.papers if p.short == "vLLM")
    assert data["answer"] == paper_to_json(vllm)
    assert data["results"][0] == {**paper_to_json(vllm), "score": 100.0}
    assert all(set(row) == set(paper_to_json(vllm)) | {"score"} for row in data["results"])
    scores = [row["score"] for row in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_json_answer_is_null_without_a_decisive_hit(capsys: pytest.CaptureFixture[str]) -> None:
    """Not-in-list queries give a null answer and no results."""
    _, out, _ = run(capsys, "ask", "--json", "quantum gravity of black holes")
    data = json.loads(out)
    assert data["answer"] is None
    assert data["results"] == []


def test_ask_prints_plain_text_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    """Without flags the answer is the console text."""
    status, out, _ = run(capsys, "ask", "flashattention-2")
    assert status == 0
    assert "FlashAttention-2" in out
    assert "https://arxiv.org/pdf/2307.08691.pdf" in out


@pytest.mark.parametrize("platform", ["telegram", "discord", "text"])
def test_ask_render_prints_the_exact_payloads(
    capsys: pytest.CaptureFixture[str], platform: str
) -> None:
    """--render prints the list of payloads that would be sent."""
    _, out, _ = run(capsys, "ask", "--render", platform, "/search kv cache")
    payloads = json.loads(out)
    assert isinstance(payloads, list)
    assert payloads
    if platform == "telegram":
        assert payloads[0]["parse_mode"] == "HTML"
    if platform == "discord":
        assert all(p["allowed_mentions"] == {"parse": []} for p in payloads)


def test_ask_batch_answers_one_json_line_per_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--batch - answers every stdin line, blank ones too, with one --json object per line."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("snapkv\n\n/paper medusa\nno such thing zz\n"))
    status, out, _ = run(capsys, "ask", "--batch", "-")
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert len(rows) == 4
    assert all(set(row) == {"command", "answer", "results"} for row in rows)
    assert rows[0]["answer"]["short"] == "SnapKV"
    assert rows[1]["answer"] is None
    assert rows[2]["answer"]["short"] == "Medusa"
    assert rows[3] == {"command": "paper", "answer": None, "results": []}


def test_ask_batch_reads_a_file_and_can_add_payloads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--batch FILE with --render adds the payloads to each JSON line."""
    messages = tmp_path / "queries.txt"
    messages.write_text("vllm\n/topics\n", encoding="utf-8")
    _, out, _ = run(capsys, "ask", "--batch", str(messages), "--render", "discord")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2
    assert rows[1]["payloads"][0]["allowed_mentions"] == {"parse": []}


@needs_upstream
def test_ask_catalog_answers_from_another_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--catalog FILE answers from that README instead of the bundled list."""
    old = RELEASES / "README@v0.2.md"
    _, out, _ = run(capsys, "ask", "--catalog", str(old), "--json", "/stats")
    assert json.loads(out)["command"] == "stats"
    _, text, _ = run(capsys, "ask", "--catalog", str(old), "/stats")
    assert "331 papers" not in text


def test_ask_without_a_message_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """No message and no batch: exit status 2 and one line on stderr."""
    status, _, err = run(capsys, "ask")
    assert status == 2
    assert "give a message" in err


def test_batch_is_an_option_of_ask_only(capsys: pytest.CaptureFixture[str]) -> None:
    """`chat --batch` would read standard input, not the file, so chat refuses the option."""
    with pytest.raises(SystemExit) as exit_info:
        main(["chat", "--batch", "queries.txt"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --batch" in capsys.readouterr().err


def test_ask_with_a_missing_catalog_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An unreadable --catalog is reported, not a traceback."""
    status, _, err = run(capsys, "ask", "--catalog", str(tmp_path / "none.md"), "vllm")
    assert status == 2
    assert "cannot read" in err


def chat_process(stdin: str, *flags: str) -> subprocess.CompletedProcess[str]:
    """``listbot chat`` in a subprocess with piped (non-terminal) input, its store in a temp dir."""
    env = {**os.environ, "LISTBOT_CHAT_HISTORY": os.devnull, "PYTHONPATH": str(ROOT / "src")}
    store = Path(tempfile.mkdtemp(prefix="listbot-chat-")) / "console.sqlite3"
    return subprocess.run(
        [sys.executable, "-m", "listbot", "chat", "--store", str(store), *flags],
        input=stdin, capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip


def test_chat_with_piped_input_answers_each_line_and_quits() -> None:
    """Piped lines are answered in order; a number presses a pick; /quit ends with status 0."""
    done = chat_process("/paper vllm\n1\n/quit\n/paper never reached\n")
    assert done.returncode == 0
    assert "PagedAttention" in done.stdout
    first_pick = done.stdout.split("[1] ")[1].split(" — ")[0]
    assert first_pick in done.stdout.split("Other matches:")[1].split("\n\n", 2)[-1]
    assert done.stdout.count("\n== ") + done.stdout.startswith("== ") == 2
    assert "never reached" not in done.stdout
    assert done.stderr == ""


def test_chat_ends_cleanly_at_end_of_input() -> None:
    """End of input leaves the chat without a traceback."""
    done = chat_process("/help\n")
    assert done.returncode == 0
    assert "/paper <query>" in done.stdout
    assert "Traceback" not in done.stderr


def test_chat_json_prints_one_object_per_answer() -> None:
    """--json in the chat prints each answer as JSON."""
    done = chat_process("vllm\n", "--json")
    assert json.loads(done.stdout)["answer"]["short"] == "vLLM"


def test_chat_history_lives_in_the_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """The history file is under $XDG_DATA_HOME/listbot unless overridden."""
    monkeypatch.delenv("LISTBOT_CHAT_HISTORY", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", "/data/home")
    assert history_path() == Path("/data/home/listbot/chat_history")
    monkeypatch.setenv("LISTBOT_CHAT_HISTORY", "/tmp/h")
    assert history_path() == Path("/tmp/h")


def test_undecodable_input_is_answered_not_a_traceback() -> None:
    """Bytes that are not UTF-8 on stdin are replaced, and the batch still answers."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "listbot", "ask", "--batch", "-"],
        input=b"/paper \xff\xfe vllm\n", capture_output=True, timeout=60, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert json.loads(done.stdout)["answer"]["short"] == "vLLM"
    assert done.stderr == b""


def test_the_console_user_maintains_their_console_and_can_announce() -> None:
    """On the console, /announce previews, the Send pick queues it, and the post is printed."""
    done = chat_process("/subscribe releases\n/announce Hello readers\n1\n/quit\n")
    assert done.returncode == 0
    assert "[1] Send to 1 chat " in done.stdout
    assert done.stdout.count("Hello readers") == 2  # the preview, then the delivered post
    assert "--- to console:local ---" in done.stdout
