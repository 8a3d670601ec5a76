"""The one error handler: log with context first, then a brief apology; never a traceback.

Telegram refusing the answer itself (rate limited, or the bot was blocked or removed
meanwhile) is logged as a warning without a traceback, and not apologised for.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

log = logging.getLogger(__name__)
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
SORRY_BUTTON = "Sorry, that did not work. Please try again."


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log a failed update with who, where and what; tell the user briefly."""
    if not isinstance(update, Update):
        log.error("telegram error outside an update", exc_info=context.error)
        return
    if isinstance(context.error, RetryAfter | Forbidden):  # no bug, and no way to apologise
        why = context.error.message
        log.warning("update %s not answered (%s): %s", update.update_id, why, describe(update))
        return
    log.error("update %s failed: %s", update.update_id, describe(update), exc_info=context.error)
    try:
        await _apologise(update)
    except TelegramError as error:
        log.warning("could not apologise for update %s: %s", update.update_id, error.message)


def describe(update: Update) -> str:
    """``chat=… user=… text=…`` for the log (the text cut to 100 characters)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    text = (message.text if message else None) or (
        update.callback_query.data if update.callback_query else None
    )
    parts = {
        "chat": chat.id if chat else None,
        "user": user.id if user else None,
        "text": (text or "")[:100] or None,
    }
    return " ".join(f"{key}={value!r}" for key, value in parts.items() if value is not None)


async def _apologise(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(SORRY_BUTTON)
    elif update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(SORRY)  # not to a service message
