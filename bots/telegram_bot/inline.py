"""Inline mode: ``@ListBot flashatt`` offers matching papers as article results."""

from __future__ import annotations

import hashlib

from telegram import InlineQuery
from telegram import InlineQueryResultArticle as Article

from listbot.context import Actor
from listbot.render.telegram import render_telegram
from telegram_bot.actors import private_chat
from telegram_bot.core import Core, resolve
from telegram_bot.payloads import content_of, markup_of

RESULTS_PER_ANSWER = 50
"""Telegram's maximum of results in one ``answerInlineQuery``."""
MAX_OFFSET = 500
"""Paging stops here: nobody scrolls further, and each page costs a search."""
RESULT_ID_BYTES = 64
TITLE_CHARS = 120


async def inline_answer(core: Core, query: InlineQuery) -> tuple[list[Article], str]:
    """The results for one page of ``query`` and the ``next_offset`` ("" when it is the last)."""
    offset = parse_offset(query.offset)
    wanted = offset + RESULTS_PER_ANSWER
    hits = core.complete_papers(query.query.strip(), wanted + 1) if offset < MAX_OFFSET else []
    user = query.from_user
    actor = Actor(str(user.id), user.full_name, private_chat(user.id), is_chat_admin=True)
    results = [await article(core, label, paper, actor) for label, paper in hits[offset:wanted]]
    return results, str(wanted) if len(hits) > wanted else ""


async def article(core: Core, label: str, paper_id: str, actor: Actor) -> Article:
    """One result: the paper's label, inserting its card."""
    payload = render_telegram(await resolve(core.handle(f"/paper {paper_id}", actor)))[0]
    return Article(
        id=result_id(paper_id),
        title=label[:TITLE_CHARS] or paper_id,
        input_message_content=content_of(payload),
        reply_markup=markup_of(payload),
    )


def parse_offset(offset: str) -> int:
    """The offset Telegram echoes back from our ``next_offset``; anything else is 0."""
    return int(offset) if offset.isdigit() and len(offset) < 6 else 0


def result_id(paper_id: str) -> str:
    """A result id of at most 64 bytes: the paper id, or its hash when that is too long."""
    if 0 < len(paper_id.encode()) <= RESULT_ID_BYTES:
        return paper_id
    return hashlib.sha256(paper_id.encode()).hexdigest()[:40]
