"""Shared helpers of the follow tests: real README versions and a controllable upstream server."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from listbot.context import Chat, ChatKind
from listbot.store.records import Filters, Kind, Schedule, Subscription
from tests.catalog_support import MAIN as NEWEST
from tests.catalog_support import RELEASES

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday


def readme(tag: str) -> str:
    """The README of a release tag (``v2.6.19``) or ``main``."""
    path = NEWEST if tag == "main" else RELEASES / f"README@{tag}.md"
    return path.read_text(encoding="utf-8")


def chat(chat_id: str = "100", platform: str = "telegram", kind: ChatKind = ChatKind.GROUP) -> Chat:
    """A chat for tests."""
    return Chat(platform, chat_id, None, kind)


def subscription(
    chat_id: str = "100",
    kind: Kind = Kind.NEW,
    filters: Filters | None = None,
    schedule: Schedule | None = None,
    platform: str = "telegram",
    last_period: str | None = None,
) -> Subscription:
    """An unsaved subscription."""
    return Subscription(
        chat=chat(chat_id, platform),
        kind=kind,
        filters=filters or Filters(),
        schedule=schedule or Schedule(),
        created_by="u1",
        created_at=T0,
        last_period=last_period,
    )


@dataclass
class UpstreamServer:
    """A raw HTTP server the test controls: ``mode`` is ok, 500, slow, truncated or 404."""

    text: str = ""
    mode: str = "ok"
    delay: float = 5.0
    requests: list[dict[str, str]] = field(default_factory=list)
    port: int = 0
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/README.md"

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.text.encode()).hexdigest()[:12] + '"'

    async def start(self) -> UpstreamServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            headers = await self._read_request(reader)
            self.requests.append(headers)
            await self._respond(headers, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> dict[str, str]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")[1:]
        return {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines if line)}

    async def _respond(self, headers: dict[str, str], writer: asyncio.StreamWriter) -> None:
        body = self.text.encode()
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        if self.mode in ("500", "404"):
            writer.write(f"HTTP/1.1 {self.mode} Oops\r\nContent-Length: 4\r\n\r\noops".encode())
        elif headers.get("if-none-match") == self.etag:
            writer.write(b"HTTP/1.1 304 Not Modified\r\nETag: " + self.etag.encode() + b"\r\n\r\n")
        else:
            sent = body[: len(body) // 2] if self.mode == "truncated" else body
            writer.write(
                f"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"ETag: {self.etag}\r\nLast-Modified: Mon, 23 Nov 2026 08:00:00 GMT\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + sent
            )
        await writer.drain()
