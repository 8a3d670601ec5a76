"""Logging never writes a secret, in plain or JSON format."""

from __future__ import annotations

import io
import json
import logging

import pytest

from listbot.logs import configure_logging


@pytest.fixture
def restore_root() -> object:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("restore_root")
@pytest.mark.parametrize("fmt", ["plain", "json"])
def test_configured_secrets_and_bot_tokens_are_redacted(fmt: str) -> None:
    """A token in a message, its arguments or a URL never reaches the log."""
    stream = io.StringIO()
    configure_logging("INFO", fmt, secrets=["discord-secret-value"], stream=stream)
    log = logging.getLogger("listbot.test")
    log.info("token %s", "discord-secret-value")
    log.info("GET https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe")
    output = stream.getvalue()
    assert "discord-secret-value" not in output
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in output
    assert output.count("***") == 2


@pytest.mark.usefixtures("restore_root")
def test_json_lines_carry_extra_fields() -> None:
    """Each JSON line is an object with the message and the record's extras."""
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    logging.getLogger("listbot.sync").info("synced", extra={"added": 3})
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["message"] == "synced"
    assert entry["added"] == 3
    assert entry["level"] == "INFO"
