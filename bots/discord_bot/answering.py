"""Answering interactions: ask the core, render, respond (deferring slow work), follow up.

Every slash command goes through ``Answerer.answer``, every button or menu of a live reply
through ``Answerer.pressed`` (others through ``stateless_press``); errors are shown only to the
person who caused them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import discord

from discord_bot.core import Core, Interaction, Renderer, actor_of, resolve
from discord_bot.views import ReplyView, tell_privately
from listbot.replies import Reply

log = logging.getLogger(__name__)
DEFER_AFTER = 1.5
"""Seconds of core work after which the interaction is deferred (Discord allows 3)."""
SORRY = "Sorry, something went wrong while answering. Please try again."
CHOICES, CHOICE_TEXT = 25, 100
"""Discord's autocomplete limits: at most 25 choices, names and values of 1–100 characters."""


def message_kwargs(payload: Mapping[str, Any]) -> dict[str, Any]:
    """discord.py keyword arguments for a rendered payload's content and embeds."""
    return {
        "content": payload.get("content") or None,
        "embeds": [discord.Embed.from_dict(embed) for embed in payload.get("embeds", ())],
        "allowed_mentions": discord.AllowedMentions.none(),
    }


class Answerer:
    """Turns interactions into core calls and core replies into Discord responses."""

    def __init__(self, core: Core, render: Renderer, *, page_timeout: float) -> None:
        self.core = core
        self.render = render
        self.page_timeout = page_timeout
        self.live: dict[int, ReplyView] = {}
        """Views on messages this process sent, by message id (clicks on others are stateless)."""

    async def answer(
        self, interaction: Interaction, text: str, *, slow: bool = False, ephemeral: bool = False
    ) -> None:
        """Answer a slash command with the core's reply to ``text``."""
        if slow:
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        reply = await self.within_deadline(
            interaction, self.core.handle(text, actor_of(interaction)), ephemeral
        )
        await self.respond(interaction, reply, ephemeral=ephemeral)

    async def within_deadline(
        self,
        interaction: Interaction,
        work: Reply | Awaitable[Reply],
        ephemeral: bool,
        *,
        update: bool = False,
    ) -> Reply:
        """The reply; the interaction is deferred if it takes longer than ``DEFER_AFTER``.

        ``update`` defers a component interaction as an edit of its message to come.
        """
        task = asyncio.ensure_future(resolve(work))
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
        if not done and not interaction.response.is_done():
            if update:
                await interaction.response.defer()
            else:
                await interaction.response.defer(thinking=True, ephemeral=ephemeral)
        return await task

    async def respond(self, interaction: Interaction, reply: Reply, *, ephemeral: bool) -> None:
        """Send ``reply`` as the interaction's response (or its edit) and follow-ups."""
        payloads = self.render(reply)
        private = ephemeral or reply.is_error
        if not payloads:
            await tell_privately(interaction, "Nothing to show.")
            return
        await self.first(interaction, payloads[0], private=private, ephemeral=ephemeral)
        for payload in payloads[1:]:
            await self.follow_up(interaction, payload, private=private)

    async def first(
        self,
        interaction: Interaction,
        payload: Mapping[str, Any],
        *,
        private: bool,
        ephemeral: bool,
    ) -> None:
        """The first message: the response, or the edit of a deferred one."""
        view = self.view_for(payload, interaction)
        kwargs = message_kwargs(payload)
        if not interaction.response.is_done():
            if view is not None:
                kwargs["view"] = view
            sent = await interaction.response.send_message(**kwargs, ephemeral=private)
            self.track(view, sent.message_id, interaction.edit_original_response)
        elif private and not ephemeral:
            await interaction.delete_original_response()
            await self.follow_up(interaction, payload, private=True)
        else:
            message = await interaction.edit_original_response(**kwargs, view=view)
            self.track(view, message.id, interaction.edit_original_response)

    async def follow_up(
        self, interaction: Interaction, payload: Mapping[str, Any], *, private: bool
    ) -> None:
        """One more message after the response."""
        view = self.view_for(payload, interaction)
        kwargs = message_kwargs(payload)
        if view is not None:
            kwargs["view"] = view
        message = await interaction.followup.send(**kwargs, ephemeral=private, wait=True)
        self.track(view, message.id, message.edit)

    def view_for(self, payload: Mapping[str, Any], interaction: Interaction) -> ReplyView | None:
        """The view of a payload's components, owned by the interaction's user."""
        rows: Sequence[Mapping[str, Any]] = payload.get("components") or ()
        if not rows:
            return None
        return ReplyView(
            rows, owner_id=interaction.user.id, press=self.pressed, timeout=self.page_timeout
        )

    def track(
        self, view: ReplyView | None, message_id: int | None, edit: Callable[..., Awaitable[object]]
    ) -> None:
        """Remember how to edit the message a view is on (to disable it on timeout)."""
        if view is None:
            return
        view.editor = lambda current: edit(view=current)
        if message_id is not None:
            self.forget_finished()
            self.live[message_id] = view

    def forget_finished(self) -> None:
        """Drop views that timed out or stopped."""
        for message_id in [key for key, view in self.live.items() if view.is_finished()]:
            del self.live[message_id]

    async def pressed(self, interaction: Interaction, data: str, view: ReplyView) -> None:
        """The owner pressed a button or chose an option: edit the message in place."""
        work = self.core.press(data, actor_of(interaction))
        reply = await self.within_deadline(interaction, work, False, update=True)
        payloads = self.render(reply)
        if reply.is_error or not payloads:
            for payload in payloads or [{"content": "Nothing to show."}]:
                await self.privately(interaction, payload)
            return
        first = payloads[0]
        rows: Sequence[Mapping[str, Any]] = first.get("components") or ()
        view.fill(rows)
        kwargs = message_kwargs(first)
        if rows:
            kwargs["view"] = view
            view.editor = lambda current: interaction.edit_original_response(view=current)
        else:
            view.stop()
            kwargs["view"] = None
        await self.edit(interaction, kwargs)
        for payload in payloads[1:]:
            await self.follow_up(interaction, payload, private=False)

    async def privately(self, interaction: Interaction, payload: Mapping[str, Any]) -> None:
        """An ephemeral message, as the response or as a follow-up."""
        kwargs = message_kwargs(payload)
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs, ephemeral=True)
        else:
            await interaction.response.send_message(**kwargs, ephemeral=True)

    async def edit(self, interaction: Interaction, kwargs: dict[str, Any]) -> None:
        """Edit the message a component is on, deferred or not."""
        if interaction.response.is_done():
            await interaction.edit_original_response(**kwargs)
        else:
            await interaction.response.edit_message(**kwargs)

    async def stateless_press(self, interaction: Interaction, data: str) -> None:
        """A click on a message without a live view (sent before a restart, or delivered).

        Nobody owns it, so the result goes privately to whoever clicked.
        """
        reply = await self.within_deadline(
            interaction, self.core.press(data, actor_of(interaction)), True
        )
        await self.respond(interaction, reply, ephemeral=True)

    async def complete(
        self, values: Sequence[str | tuple[str, str]]
    ) -> list[discord.app_commands.Choice[str]]:
        """Autocomplete choices within Discord's limits (25; names and values of 1–100).

        A long label is shortened; a value that does not fit is left out rather than cut,
        since a cut value would name something else.
        """
        pairs = [(value, value) if isinstance(value, str) else value for value in values]
        return [
            discord.app_commands.Choice(name=_shorten(label, CHOICE_TEXT), value=value)
            for label, value in pairs
            if label.strip() and 0 < len(value) <= CHOICE_TEXT
        ][:CHOICES]

    async def failed(self, interaction: Interaction, error: Exception) -> None:
        """The one place an unexpected error becomes user text: logged, then said privately."""
        log.error("answering an interaction failed", exc_info=error)
        if interaction.type is discord.InteractionType.autocomplete:
            return
        try:
            await tell_privately(interaction, SORRY)
        except discord.HTTPException:
            log.info("could not tell the user about the failure")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
