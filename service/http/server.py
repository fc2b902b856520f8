"""Running the app under uvicorn: a shutdown signal ends the event streams and stops the server within seconds.

A text being analysed runs in a worker thread that no signal can interrupt, and uvicorn's graceful shutdown would
wait for it for as long as it takes (minutes, for a large text). So shutdown is bounded: uvicorn waits at most
`graceful_s` for requests in flight, then cancels them and runs the lifespan shutdown; if a worker thread is still
busy after that, the process exits anyway. That is what a crash does, and an ingest cut short that way is
finished at the next start (`Ingestor.repair` resumes documents left `pending`); a text not yet stored was
simply not stored, and its client got no answer and may post it again.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from service.http.sse import stop_streams
from service.pipeline.shutdown import stop_analysis

log = logging.getLogger(__name__)

#: Seconds uvicorn waits for requests in flight after a shutdown signal before cancelling them.
GRACEFUL_S = 5.0
#: Seconds the process then waits for busy worker threads before it exits regardless.
FORCE_EXIT_S = 2.0


def run_uvicorn(app: Any, graceful_s: float = GRACEFUL_S, force_exit_s: float = FORCE_EXIT_S, **config: Any) -> None:
    """`uvicorn.run`, with a shutdown bounded in time (see the module docstring)."""
    import uvicorn

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            stop_streams()  # open event streams end now; clients resume with their cursor
            stop_analysis()  # texts being analysed stop at their next checkpoint
            super().handle_exit(sig, frame)

    config.setdefault("timeout_graceful_shutdown", graceful_s)
    try:
        _Server(uvicorn.Config(app, **config)).run()
    except KeyboardInterrupt:  # uvicorn re-raises the captured SIGINT once it has shut down, as uvicorn.run does
        pass
    _exit_if_threads_hang(force_exit_s)


def _exit_if_threads_hang(wait_s: float) -> None:
    """Exit the process if non-daemon worker threads are still running `wait_s` seconds from now.

    The interpreter would otherwise join them at exit and wait for the slowest analysis to finish.
    """
    busy = [t for t in threading.enumerate() if t is not threading.current_thread() and not t.daemon and t.is_alive()]
    if not busy:
        return

    def force() -> None:
        still = [t.name for t in busy if t.is_alive()]
        if still:
            log.warning("shutdown: %d worker thread(s) still busy after %.0f s (%s); exiting now. Work cut short is"
                        " repaired at the next start.", len(still), wait_s, ", ".join(sorted(set(still))))
            logging.shutdown()
            os._exit(0)

    timer = threading.Timer(wait_s, force)
    timer.daemon = True
    timer.start()
