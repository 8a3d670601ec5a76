"""Shared fixtures, and the ``e2e`` marker for every test under ``tests/e2e/``.

Tests are grouped by realness: ``unit/`` (the pure core), ``service/`` (services over fakes,
real SQLite and local HTTP), ``adapters/`` (the real discord.py and python-telegram-bot
clients against the fakes in ``fakes/``) and ``e2e/`` (whole ``listbot`` processes).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from listbot.catalog.model import Catalog
from listbot.catalog.parse import parse_catalog
from listbot.context import Actor, Chat, ChatKind

NEWEST_LIST = Path(__file__).resolve().parent.parent / "data" / "awesome-llm-inference.md"
"""The bundled copy of the newest version of the list (331 papers, 21 sections)."""
FIXED_NOW = dt.datetime(2026, 8, 1, 12, 0, tzinfo=dt.UTC)

if TYPE_CHECKING:
    from listbot.app import Listbot
    from listbot.catalog.bundle import Bundle


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The catalog of the newest version of the list, parsed once per session."""
    return parse_catalog(NEWEST_LIST.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    """The bundled list: catalog, release history and source."""
    from listbot.catalog.bundle import load_bundled

    return load_bundled()


@pytest.fixture(scope="session")
def bot(bundle: Bundle) -> Listbot:
    """A Listbot over the bundled list, with a seeded random generator and a fixed clock."""
    from listbot.app import Listbot

    return Listbot(bundle, rng=random.Random(7), clock=lambda: FIXED_NOW)


@pytest.fixture(scope="session")
def actor() -> Actor:
    """Someone asking in a private chat."""
    return Actor("42", "Ada", Chat("test", "chat-1", None, ChatKind.PRIVATE), is_chat_admin=True)


E2E_DIR = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests of ``tests/e2e/`` as ``e2e`` (``pytest -m "not e2e"`` skips them)."""
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)
