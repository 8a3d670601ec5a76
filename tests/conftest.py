"""Shared fixtures."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from listbot.context import Actor, Chat, ChatKind
from listbot.model import Catalog
from listbot.parser import parse_catalog

NEWEST_LIST = Path(__file__).resolve().parent.parent / "data" / "awesome-llm-inference.md"
"""The bundled copy of the newest version of the list (331 papers, 21 sections)."""
FIXED_NOW = dt.datetime(2026, 8, 1, 12, 0, tzinfo=dt.UTC)

if TYPE_CHECKING:
    from listbot.app import Listbot
    from listbot.bundle import Bundle


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The catalog of the newest version of the list, parsed once per session."""
    return parse_catalog(NEWEST_LIST.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def bundle() -> Bundle:
    """The bundled list: catalog, release history and source."""
    from listbot.bundle import load_bundled

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
