"""One scheduler per store: an exclusive lock file beside the store.

The lock is an ``flock`` on ``<store>.lock``; the kernel releases it when the
process ends, so a crash never leaves a stale lock behind. The file records the
holder's pid and start time, for the message the second process prints.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType


class AlreadyRunning(Exception):
    """Another listbot process holds the store."""

    def __init__(self, lock_path: Path, holder: str) -> None:
        super().__init__(
            f"another listbot is already running against this store ({holder}); "
            f"stop it first, or use another store. Lock: {lock_path}"
        )
        self.lock_path = lock_path


class StoreLock:
    """An exclusive, process-lifetime lock on a store path."""

    def __init__(self, store_path: str | Path) -> None:
        self.path = Path(f"{store_path}.lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown pid"
            os.close(fd)
            raise AlreadyRunning(self.path, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Give the lock back (also done by the kernel when the process ends)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()
