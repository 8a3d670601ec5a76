"""Buttons and menus under a reply: owned by whoever asked, disabled when they time out.

The components come from the core's rendering (action rows of buttons and string selects
whose custom ids and option values are encoded actions); a ``ReplyView`` turns them
into discord.py items whose callbacks hand the encoded action back to the adapter.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import discord

from discord_bot.core import Interaction

log = logging.getLogger(__name__)
NOT_YOURS = "Only the person who asked can use these buttons. Run the command yourself to browse."
BUTTON, SELECT = 2, 3

Press = Callable[[Interaction, str, "ReplyView"], Awaitable[None]]
Editor = Callable[["ReplyView"], Awaitable[object]]


class ActionButton(discord.ui.Button["ReplyView"]):
    """A button whose custom id is an encoded action for the core."""

    async def callback(self, interaction: Interaction) -> None:
        """Hand the action to the adapter."""
        if self.view is not None and self.custom_id is not None:
            await self.view.press(interaction, self.custom_id)


class ActionSelect(discord.ui.Select["ReplyView"]):
    """A menu (disambiguation) whose option values are encoded actions for the core."""

    async def callback(self, interaction: Interaction) -> None:
        """Hand the chosen action to the adapter."""
        if self.view is not None and self.values:
            await self.view.press(interaction, self.values[0])


class ReplyView(discord.ui.View):
    """The interactive part of one reply message."""

    def __init__(
        self, rows: Sequence[Mapping[str, Any]], *, owner_id: int, press: Press, timeout: float
    ) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self._press = press
        self.editor: Editor | None = None
        """How to edit the message this view is on (set once it is sent)."""
        self.fill(rows)

    def fill(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Replace the items by those of ``rows`` (action rows of a rendered payload)."""
        self.clear_items()
        for number, row in enumerate(rows):
            for component in row.get("components", ()):
                self.add_item(item_of(component, number))

    async def press(self, interaction: Interaction, data: str) -> None:
        """A click or choice by the owner (``interaction_check`` has passed)."""
        await self._press(interaction, data, self)

    async def interaction_check(self, interaction: Interaction) -> bool:
        """Only the person who asked may page or choose; others are told so privately."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True)
        return False

    async def on_timeout(self) -> None:
        """Disable every button and menu (links stay usable) on the message."""
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select) and not _is_link(item):
                item.disabled = True
        if self.editor is not None:
            try:
                await self.editor(self)
            except discord.HTTPException as error:
                log.info("could not disable the buttons of a reply: %s", error)

    async def on_error(
        self, interaction: Interaction, error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        """Log, then tell the presser privately."""
        log.exception("a button of a reply failed", exc_info=error)
        await tell_privately(interaction, "Sorry, that did not work. Please try again.")


def _is_link(item: discord.ui.Item[Any]) -> bool:
    return isinstance(item, discord.ui.Button) and item.url is not None


def item_of(component: Mapping[str, Any], row: int) -> discord.ui.Item[ReplyView]:
    """The discord.py item of one rendered component."""
    if component.get("type") == SELECT:
        options = [
            discord.SelectOption(
                label=option["label"],
                value=option["value"],
                description=option.get("description"),
                default=bool(option.get("default", False)),
            )
            for option in component.get("options", ())
        ]
        return ActionSelect(
            custom_id=component["custom_id"],
            placeholder=component.get("placeholder"),
            options=options,
            disabled=bool(component.get("disabled", False)),
            row=row,
        )
    return _button(component, row)


def _button(component: Mapping[str, Any], row: int) -> discord.ui.Item[ReplyView]:
    style = discord.ButtonStyle(component.get("style", discord.ButtonStyle.secondary.value))
    url = component.get("url")
    return ActionButton(
        style=style,
        label=component.get("label"),
        custom_id=None if url else component.get("custom_id"),
        url=url,
        disabled=bool(component.get("disabled", False)),
        emoji=component.get("emoji", {}).get("name") if component.get("emoji") else None,
        row=row,
    )


async def tell_privately(interaction: Interaction, text: str) -> None:
    """An ephemeral message, as a response or, when already responded, a follow-up."""
    allowed = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=allowed)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=allowed)
