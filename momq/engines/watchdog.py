"""A client-side watchdog for engines whose driver call may block past its limit (FalkorDB, Bolt).

:func:`run_watched` runs one blocking call in a daemon thread and waits for it at most a given budget; the
caller then gets a :class:`Watched` outcome (the call's result, or its exception re-raised) or ``None`` when
the call is still running. What to do about a call still running (drop the connection it holds, reconnect
later) and which error to raise belong to each engine: this module cancels nothing and knows no driver.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from momq.engines.base import QueryResult


@dataclass
class Watched:
    """What a finished watched call left: its value, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None

    def query_result(self, t0: float) -> QueryResult:
        """The call's ``(columns, rows, truncated)`` as a QueryResult timed from ``t0``; re-raises its error."""
        if self.error is not None:
            raise self.error
        columns, rows, truncated = self.value
        return QueryResult(columns, rows, truncated=truncated, elapsed_s=time.monotonic() - t0)


def run_watched(call: Callable[[], Any], budget_s: float, thread_name: str) -> Watched | None:
    """Run ``call()`` in a daemon thread named ``thread_name``; its outcome, or None if it is still running
    after ``budget_s`` seconds (the thread is then left to end when its connection is cut)."""
    outcome = Watched()

    def work() -> None:
        try:
            outcome.value = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            outcome.error = exc

    worker = threading.Thread(target=work, daemon=True, name=thread_name)
    worker.start()
    worker.join(budget_s)
    return None if worker.is_alive() else outcome
