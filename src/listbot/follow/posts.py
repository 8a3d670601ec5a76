"""Turning a neutral reply into outbox posts for a subscription, rendered for its platform.

The renderer is swappable (``render=``); by default ``listbot.render.render``. A reply
rendered into several messages becomes several posts, keyed ``<key>#<n>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from listbot.render import render as render_reply
from listbot.replies import Reply
from listbot.store.port import Store
from listbot.store.records import Kind, Post, Subscription

Renderer = Callable[[str, Reply], list[dict[str, Any]]]


def default_render(platform: str, reply: Reply) -> list[dict[str, Any]]:
    """The platform's payloads; unknown platforms get the plain-text form."""
    try:
        return render_reply(platform, reply)
    except KeyError:
        return render_reply("text", reply)


def posts_for(
    sub: Subscription, key: str, reply: Reply, render: Renderer = default_render
) -> list[Post]:
    """The posts that deliver ``reply`` to ``sub``, under content key ``key``."""
    payloads = render(sub.chat.platform, reply)
    if len(payloads) == 1:
        return [Post(sub.id, key, payloads[0])]
    return [Post(sub.id, f"{key}#{n}", payload) for n, payload in enumerate(payloads, start=1)]


class RenderCache:
    """Renders each distinct (platform, content) once: a broadcast reuses the payloads."""

    def __init__(self, render: Renderer = default_render) -> None:
        self._render = render
        self._cache: dict[tuple[str, object], list[dict[str, Any]]] = {}

    def posts(self, sub: Subscription, key: str, reply: Reply, content: object) -> list[Post]:
        """Like ``posts_for``; ``content`` identifies the reply (same content, same payloads)."""
        cache_key = (sub.chat.platform, content)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._render(sub.chat.platform, reply)
        payloads = self._cache[cache_key]
        if len(payloads) == 1:
            return [Post(sub.id, key, payloads[0])]
        return [Post(sub.id, f"{key}#{n}", p) for n, p in enumerate(payloads, start=1)]


def broadcast(store: Store, kind: Kind, key: str, reply: Reply, cache: RenderCache) -> list[Post]:
    """The posts of one reply, the same for everyone, to every active ``kind`` subscription."""
    return [
        post
        for sub in store.subscriptions(kind=kind, active_only=True)
        for post in cache.posts(sub, key, reply, key)
    ]
