"""Where the list's README comes from: a conditional HTTP GET with retries, or a file.

``HttpSource`` sends ``If-None-Match``/``If-Modified-Since``, times out, and retries
network faults, 429 and 5xx with exponential backoff a bounded number of times; any
other status, a body that is not UTF-8 or a truncated body is a ``FetchError``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx

DEFAULT_README_URL = (
    "https://raw.githubusercontent.com/xlite-dev/Awesome-LLM-Inference/main/README.md"
)


class FetchError(Exception):
    """The README could not be fetched; the message says why."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched README (``text`` None when the server said it is not modified)."""

    text: str | None
    etag: str | None = None
    last_modified: str | None = None
    ref: str | None = None


class Source(Protocol):
    """A place the list is read from."""

    name: str

    async def fetch(self, etag: str | None, last_modified: str | None) -> Fetched:
        """The README, or ``Fetched(None)`` when unchanged since those validators."""
        ...


class FileSource:
    """A README on disk (``listbot sync --from FILE``)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = str(path)

    async def fetch(self, etag: str | None, last_modified: str | None) -> Fetched:
        """Read the file (never "not modified": the content hash decides)."""
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise FetchError(f"cannot read {self.path}: {error.strerror or error}") from error
        return Fetched(_decode(data, self.name))


class HttpSource:
    """The README at a URL, fetched conditionally."""

    def __init__(
        self,
        url: str = DEFAULT_README_URL,
        *,
        timeout: float = 20.0,
        attempts: int = 3,
        backoff: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = self.name = url
        self.timeout, self.attempts, self.backoff = timeout, attempts, backoff
        self._sleep, self._transport = sleep, transport

    async def fetch(self, etag: str | None, last_modified: str | None) -> Fetched:
        """GET the README; retry network faults, 429 and 5xx; raise FetchError otherwise."""
        headers = {"Accept": "text/plain, text/markdown, */*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with httpx.AsyncClient(
            timeout=self.timeout, transport=self._transport, follow_redirects=True
        ) as client:
            for attempt in range(1, self.attempts + 1):
                try:
                    return await self._get(client, headers)
                except _Retryable as error:
                    if attempt == self.attempts:
                        message = f"{self.url}: {error} (after {attempt} attempts)"
                        raise FetchError(message) from error
                    await self._sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _get(self, client: httpx.AsyncClient, headers: dict[str, str]) -> Fetched:
        try:
            response = await client.get(self.url, headers=headers)
        except httpx.TimeoutException as error:
            raise _Retryable(f"timed out ({type(error).__name__})") from error
        except httpx.TransportError as error:
            raise _Retryable(f"network error: {error or type(error).__name__}") from error
        status = response.status_code
        if status == 304:
            return Fetched(None, etag=response.headers.get("ETag"))
        if status == 429 or status >= 500:
            raise _Retryable(f"HTTP {status}")
        if status != 200:
            raise FetchError(f"{self.url}: HTTP {status}")
        return Fetched(
            _decode(response.content, self.url),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )


class _Retryable(Exception):
    """A fault worth another attempt."""


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise FetchError(f"{name} is binary, not the list")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FetchError(f"{name} is not UTF-8 text") from error


def source_for(location: str, timeout: float = 20.0) -> Source:
    """An ``HttpSource`` for an http(s) URL, else a ``FileSource``."""
    if location.startswith(("http://", "https://")):
        return HttpSource(location, timeout=timeout)
    return FileSource(location)
