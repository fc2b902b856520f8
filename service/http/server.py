"""Running the app under uvicorn: a shutdown signal first ends the event streams, so draining is quick."""

from __future__ import annotations

from typing import Any

from service.http.sse import stop_streams


def run_uvicorn(app: Any, **config: Any) -> None:
    """`uvicorn.run`, except that a shutdown signal first ends the event streams so draining is quick."""
    import uvicorn

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            stop_streams()
            super().handle_exit(sig, frame)

    try:
        _Server(uvicorn.Config(app, **config)).run()
    except KeyboardInterrupt:  # uvicorn re-raises the captured SIGINT once it has shut down, as uvicorn.run does
        pass
