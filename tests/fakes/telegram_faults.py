"""The faults the fake Bot API can play: errors on demand and chats the bot cannot reach.

``fail_next`` answers one call with any error (``rate_limit``: 429 with ``retry_after``);
``kick`` makes a chat answer 403 (kicked, or blocked in a private chat); ``migrate`` makes
a group answer 400 with ``migrate_to_chat_id``; ``lose`` makes a chat answer "chat not
found"; ``close_topic`` makes one forum topic refuse posts; ``make_admin`` sets what
getChatMember answers. A mixin of ``FakeTelegramAPI``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.fakes.telegram_checks import ApiError, bad_request
from tests.fakes.telegram_objects import Json, chat_ref

if TYPE_CHECKING:
    from tests.fakes.telegram_api import Call


@dataclass
class _Failure:
    method: str
    error: ApiError
    chat_id: int | str | None


@dataclass
class Faults:
    """Fault scenarios; ``_reachable`` raises what Telegram answers about a chat."""

    members: dict[tuple[int, int], str] = field(default_factory=dict)
    """(chat id, user id) -> status; unknown pairs are plain members."""
    kicked: set[int] = field(default_factory=set)
    lost: set[int] = field(default_factory=set)
    migrated: dict[int, int] = field(default_factory=dict)
    closed_topics: dict[tuple[int, int], str] = field(default_factory=dict)
    """(chat id, thread id) -> the error description of a closed or deleted forum topic."""
    _failures: list[_Failure] = field(default_factory=list)

    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        parameters: Json | None = None,
        *,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next ``method`` call (to ``chat_id``, if given) with this error."""
        self._failures.append(_Failure(method, ApiError(code, description, parameters), chat_id))

    def rate_limit(self, method: str, retry_after: int, *, chat_id: int | None = None) -> None:
        """Answer the next ``method`` call with 429 and ``retry_after``."""
        why = f"Too Many Requests: retry after {retry_after}"
        self.fail_next(method, 429, why, {"retry_after": retry_after}, chat_id=chat_id)

    def kick(self, chat_id: int) -> None:
        """The bot was removed from ``chat_id`` (or blocked by the user): sends answer 403."""
        self.kicked.add(chat_id)

    def lose(self, chat_id: int) -> None:
        """``chat_id`` no longer exists: sends answer 400 "chat not found"."""
        self.lost.add(chat_id)

    def migrate(self, chat_id: int, new_chat_id: int) -> None:
        """``chat_id`` was upgraded to the supergroup ``new_chat_id``."""
        self.migrated[chat_id] = new_chat_id

    def close_topic(self, chat_id: int, thread_id: int, *, deleted: bool = False) -> None:
        """Close (or delete) forum topic ``thread_id``: posts there answer 400."""
        why = "message thread not found" if deleted else "TOPIC_CLOSED"
        self.closed_topics[(chat_id, thread_id)] = why

    def make_admin(self, chat_id: int, user_id: int, status: str = "administrator") -> None:
        """Give ``user_id`` the admin ``status`` (administrator or creator) in ``chat_id``."""
        self.members[(chat_id, user_id)] = status

    def _inject(self, call: Call) -> None:
        for failure in self._failures:
            wanted = failure.chat_id is None or failure.chat_id == call.chat_id
            if failure.method.lower() == call.method.lower() and wanted:
                self._failures.remove(failure)
                raise failure.error

    def _reachable(self, raw: Any) -> int | str:
        chat_id = chat_ref(raw)
        if chat_id in self.migrated:
            params = {"migrate_to_chat_id": self.migrated[chat_id]}
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", params)
        if chat_id in self.kicked:
            raise ApiError(403, f"Forbidden: {_removed(chat_id)}")
        if chat_id in self.lost:
            raise bad_request("chat not found")
        return chat_id


def _removed(chat_id: int | str) -> str:
    """Why Telegram refuses a chat the bot was removed from, worded per kind of chat."""
    if isinstance(chat_id, int) and chat_id > 0:
        return "bot was blocked by the user"
    if str(chat_id).startswith("-100"):
        return "bot was kicked from the supergroup chat"
    return "bot was kicked from the group chat"
