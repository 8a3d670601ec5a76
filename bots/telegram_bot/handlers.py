"""The handlers, one per kind of update, wired in one visible place by ``register``."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType, ParseMode, UpdateType
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from listbot.render.telegram import render_telegram
from listbot.replies import Action, Kind, Reply
from telegram_bot.actors import AdminCache, actor_of, actor_of_query
from telegram_bot.core import App, Core, resolve
from telegram_bot.errors import on_error
from telegram_bot.inline import inline_answer
from telegram_bot.payloads import message_kwargs, summary

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
ChatMovedHook = Callable[[str, str], object]
"""Called with ``(old_chat_id, new_chat_id)`` when a group becomes a supergroup."""
ALLOWED_UPDATES = (
    UpdateType.MESSAGE,
    UpdateType.CHANNEL_POST,
    UpdateType.CALLBACK_QUERY,
    UpdateType.INLINE_QUERY,
)
"""The update kinds the handlers take; asked for explicitly, as Telegram otherwise keeps
whatever ``allowed_updates`` an earlier program set for the same token."""
ADMIN_COMMANDS = frozenset({"subscribe", "unsubscribe"})
"""Commands that change a chat's subscriptions: only for that chat's admins."""
STALE = "This button has expired. Send the command again for a fresh answer."
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_ADDRESSED = re.compile(r"^/(\w+)(?:@(\w+))?")
_MESSAGES = (
    filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
) & ~filters.IS_AUTOMATIC_FORWARD  # a channel's post copied into its discussion group
_SEARCH = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND


def register(application: App, core: Core, admins: AdminCache) -> Handlers:
    """Add every handler, in matching order, and the error handler."""
    handlers = Handlers(core, admins)
    names = [name for name, _ in core.commands() if COMMAND_NAME.match(name) and name != "start"]
    application.add_handler(CommandHandler("start", handlers.start, filters=_MESSAGES))
    application.add_handler(CommandHandler(names, handlers.command, filters=_MESSAGES))
    application.add_handler(MessageHandler(filters.COMMAND & _MESSAGES, handlers.other_command))
    application.add_handler(MessageHandler(_SEARCH, handlers.search))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, handlers.migrated))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(InlineQueryHandler(handlers.inline))
    application.add_error_handler(on_error)
    return handlers


def intro(username: str) -> str:
    """The /start greeting (HTML)."""
    return (
        "👋 Hi! I'm <b>listbot</b>. I find papers in the "
        '<a href="https://github.com/xlite-dev/Awesome-LLM-Inference">Awesome-LLM-Inference</a> '
        "list.\n\nTry <code>/paper flashattention</code>, <code>/search kv cache</code> or "
        f"<code>/latest</code>; in any chat, type <code>@{username} flash</code>. "
        "/subscribe brings new papers to a group or channel. /help lists everything."
    )


def core_text(text: str) -> str:
    """The core's form of a command: ``/paper@ListBot q`` -> ``/paper q``."""
    return _ADDRESSED.sub(lambda m: f"/{m.group(1)}", text.strip(), count=1)


def addressed_to(message: Message, username: str) -> bool:
    """Whether a command is for this bot: explicitly ``@username``, or any in a private chat."""
    match = _ADDRESSED.match(message.text or "")
    if match is None:
        return False
    if match.group(2):
        return match.group(2).lower() == username.lower()
    return message.chat.type == ChatType.PRIVATE


class Handlers:
    """Thin handlers over the core: build the actor, ask the core, send its rendered reply."""

    def __init__(self, core: Core, admins: AdminCache) -> None:
        self.core = core
        self.admins = admins
        self.on_chat_moved: ChatMovedHook | None = None
        """Moves a chat's subscriptions (``listbot serve`` sets it to the store's)."""

    async def start(self, update: Update, context: Context) -> None:
        """Introduce listbot briefly."""
        if update.effective_message:
            await update.effective_message.reply_text(
                intro(context.bot.username), parse_mode=ParseMode.HTML
            )

    async def command(self, update: Update, context: Context) -> None:
        """Answer a core command, ``/paper@ListBot`` as ``/paper``."""
        if update.effective_message and update.effective_message.text:
            await self._answer(update.effective_message, core_text(update.effective_message.text))

    async def other_command(self, update: Update, context: Context) -> None:
        """Let the core answer an alias or unknown command, unless it is for another bot."""
        message = update.effective_message
        if message and message.text and addressed_to(message, context.bot.username):
            await self._answer(message, core_text(message.text))

    async def search(self, update: Update, context: Context) -> None:
        """Treat a plain message in a private chat as a search."""
        if update.effective_message and update.effective_message.text:
            await self._answer(update.effective_message, update.effective_message.text)

    async def button(self, update: Update, context: Context) -> None:
        """Page in place, open a choice, or say politely that the button is stale."""
        query = update.callback_query
        if query is None:
            return
        action = Action.decode(query.data or "")
        if action is None:
            await query.answer(STALE)
            return
        check = action.command in ADMIN_COMMANDS
        actor = await actor_of_query(query, self.admins, check_admin=check)
        reply = await resolve(self.core.press(query.data or "", actor))
        if reply.kind in (Kind.ERROR, Kind.NOT_FOUND):
            await query.answer(summary(reply) or STALE, show_alert=True)
            return
        await query.answer()
        await self._show(query, reply)

    async def inline(self, update: Update, context: Context) -> None:
        """Offer matching papers as article results, 50 per answer."""
        if update.inline_query is not None:
            results, next_offset = await inline_answer(self.core, update.inline_query)
            await update.inline_query.answer(results, next_offset=next_offset, cache_time=60)

    async def migrated(self, update: Update, context: Context) -> None:
        """Move a group's subscriptions as soon as Telegram says it became a supergroup."""
        message = update.effective_message
        if message is None:
            return
        old, new = (message.chat_id, message.migrate_to_chat_id)
        if new is None:  # the supergroup's own notice: "migrated from"
            old, new = (message.migrate_from_chat_id or old, message.chat_id)
        log.info("telegram group %s was upgraded to the supergroup %s", old, new)
        if self.on_chat_moved is not None and old != new:
            await resolve(self.on_chat_moved(str(old), str(new)))

    async def _answer(self, message: Message, text: str) -> None:
        match = _ADDRESSED.match(text)
        check = match is not None and match.group(1).lower() in ADMIN_COMMANDS
        actor = await actor_of(message, self.admins, check_admin=check)
        reply = await resolve(self.core.handle(text, actor))
        for payload in render_telegram(reply):
            await message.reply_text(**message_kwargs(payload))

    async def _show(self, query: CallbackQuery, reply: Reply) -> None:
        """A page replaces the message it was asked from; anything else is posted below it."""
        payloads = render_telegram(reply)
        message = query.message if isinstance(query.message, Message) else None
        if reply.page is not None or message is None:
            try:
                await query.edit_message_text(**message_kwargs(payloads[0]))
            except BadRequest as error:
                if "not modified" not in error.message:
                    raise
            payloads = payloads[1:]
        for payload in payloads:
            if message is not None:
                await message.reply_text(do_quote=False, **message_kwargs(payload))
