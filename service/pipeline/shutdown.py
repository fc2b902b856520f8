"""Stopping analyses when the server shuts down: long work checks in between steps and gives up cleanly."""

from __future__ import annotations

import threading

from service.errors import FactCheckError

_STOPPING = threading.Event()


class AnalysisStopped(FactCheckError):
    """The server is shutting down: the text was not analysed, nothing was stored (retry on the next server)."""

    status = 503
    code = "shutting_down"

    def __init__(self, message: str = "the server is shutting down; nothing was stored, post the text again") -> None:
        super().__init__(message, retry_after=5)


def stop_analysis() -> None:
    """Make every analysis of this process stop at its next checkpoint (called when the server shuts down)."""
    _STOPPING.set()


def checkpoint() -> None:
    """Raise AnalysisStopped if the process is shutting down."""
    if _STOPPING.is_set():
        raise AnalysisStopped()
