"""Platform limits that the renderers enforce, named once.

Sources: Discord's "Message" and "Embed Limits" reference and its component reference;
Telegram Bot API ``sendMessage`` and ``InlineKeyboardButton``.
"""

from __future__ import annotations

# Discord: messages.
DISCORD_CONTENT = 2000
DISCORD_EMBEDS_PER_MESSAGE = 10
DISCORD_EMBED_TOTAL = 6000
"""Title, description, field names and values, footer and author of all embeds together."""
DISCORD_EMBED_TITLE = 256
DISCORD_EMBED_DESCRIPTION = 4096
DISCORD_EMBED_FIELDS = 25
DISCORD_FIELD_NAME = 256
DISCORD_FIELD_VALUE = 1024
DISCORD_FOOTER = 2048
DISCORD_URL = 2048
# Discord: components.
DISCORD_BUTTONS_PER_ROW = 5
DISCORD_ACTION_ROWS = 5
DISCORD_CUSTOM_ID = 100
DISCORD_BUTTON_LABEL = 80
DISCORD_SELECT_OPTIONS = 25
DISCORD_SELECT_LABEL = 100
DISCORD_SELECT_DESCRIPTION = 100
DISCORD_SELECT_VALUE = 100
DISCORD_SELECT_PLACEHOLDER = 150

# Telegram.
TELEGRAM_TEXT = 4096
"""Characters of a message after entity parsing, counted in UTF-16 code units."""
TELEGRAM_CALLBACK_DATA = 64
"""Bytes of ``callback_data`` (UTF-8)."""
TELEGRAM_BUTTON_TEXT = 64
"""Not a documented hard limit; longer labels are cut so keyboards stay readable."""
TELEGRAM_BUTTONS_PER_ROW = 8
TELEGRAM_TAGS = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"})
"""The HTML tags Telegram's HTML parse mode accepts (we emit only a subset)."""

# Core: what actions and echoed user text are kept within.
ACTION_DATA = TELEGRAM_CALLBACK_DATA
"""Every encoded Action that the core emits fits in this many UTF-8 bytes (the tighter limit)."""
ECHO = 200
"""Characters of user text that a reply quotes back."""
