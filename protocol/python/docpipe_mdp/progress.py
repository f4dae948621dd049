"""The one-line progress report of `submit_many(progress=True)`, on stderr."""

from __future__ import annotations

import sys
import time
from typing import Callable, Optional, TextIO


def progress_text(settled: int, total: int, refused: int) -> str:
    """`submitted 40/100 files (2 refused)`."""
    text = f"submitted {settled}/{total} files"
    return text + (f" ({refused} refused)" if refused else "")


class ProgressLine:
    """Rewrites one line in place (carriage return) at most every `interval` seconds, and ends it with a
    newline on `finish`. On a stream that is not a terminal it writes only the final line, so logs stay
    readable."""

    def __init__(self, total: int, stream: Optional[TextIO] = None, interval: float = 0.2,
                 clock: Callable[[], float] = time.monotonic):
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.clock = clock
        self.last = float("-inf")
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, settled: int, refused: int) -> None:
        now = self.clock()
        if self.live and now - self.last >= self.interval:
            self.last = now
            self.stream.write("\r" + progress_text(settled, self.total, refused))
            self.stream.flush()

    def finish(self, settled: int, refused: int) -> None:
        self.stream.write(("\r" if self.live else "") + progress_text(settled, self.total, refused) + "\n")
        self.stream.flush()
