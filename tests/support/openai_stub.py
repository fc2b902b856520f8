"""A scripted OpenAI-compatible chat server on 127.0.0.1 for tests: the real openai client talks to it over HTTP.

Each request takes the next scripted reply (or asks `responder` when the script is empty) and is recorded, so
tests can count calls, retries and re-asks. Token usage is approximated as characters / 4.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response


@dataclass
class Reply:
    """One scripted answer: structured `output` (dict, or raw string for junk), an HTTP error, or a raw body."""

    output: dict | str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    raw_body: str | None = None


def ok(output: dict | str, delay_s: float = 0.0) -> Reply:
    return Reply(output=output, delay_s=delay_s)


def error(status: int, retry_after: str | None = None) -> Reply:
    return Reply(status=status, headers={"Retry-After": retry_after} if retry_after is not None else {})


def tokens(text: str) -> int:
    return max(1, len(text) // 4)


class StubServer:
    """The scripted server; `url` is its OpenAI base URL (…/v1)."""

    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.responder: Callable[[dict[str, Any]], Reply] | None = None
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._chat)
        self._server: uvicorn.Server | None = None
        self.port = 0

    def enqueue(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def reset(self) -> None:
        self.script.clear()
        self.requests.clear()
        self.responder = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        reply = self.script.popleft() if self.script else (self.responder(body) if self.responder else error(500))
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if reply.raw_body is not None:
            return Response(reply.raw_body, status_code=reply.status, media_type="application/json")
        if reply.status != 200:
            return JSONResponse(
                {"error": {"message": f"scripted {reply.status}", "type": "stub"}}, status_code=reply.status, headers=reply.headers
            )
        text = reply.output if isinstance(reply.output, str) else json.dumps(reply.output, ensure_ascii=False)
        message: dict[str, Any] = {"role": "assistant", "content": text}
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"id": f"call_{len(self.requests)}", "type": "function", "function": {"name": name, "arguments": text}}],
            }
        prompt_tokens = sum(tokens(str(m.get("content") or "")) for m in body.get("messages", []))
        return JSONResponse(
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "stub"),
                "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if body.get("tools") else "stop"}],
                "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": tokens(text), "total_tokens": prompt_tokens + tokens(text)},
            }
        )

    def start(self) -> StubServer:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        threading.Thread(target=self._server.run, daemon=True).start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("stub server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server:
            self._server.should_exit = True


def _data(body: dict[str, Any]) -> str:
    from service.llm.prompts import DATA_CLOSE, DATA_OPEN

    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return user.split(DATA_OPEN, 1)[1].rsplit(DATA_CLOSE, 1)[0].strip("\n")


def offline_echo(body: dict[str, Any]) -> Reply:
    """A plausible model: extraction returns the offline analyser's claims of the chunk, stance says neutral."""
    from service.analysis.claims import OfflineClaimExtractor

    name = body["tools"][0]["function"]["name"] if body.get("tools") else ""
    if name == "ExtractionOut":
        drafts = OfflineClaimExtractor().extract(_data(body))
        return ok({"claims": [
            {"text": d.text, "quote": d.quote, "language": d.language, "checkworthy": d.checkworthy,
             "speaker": d.attribution.speaker if d.attribution else None,
             "attribution": d.attribution.stance if d.attribution else None}
            for d in drafts
        ]})
    evidence = json.loads(re.search(r'"evidence": (\[.*\])\}', _data(body), re.DOTALL).group(1))
    return ok({"judgements": [
        {"evidence_id": e["id"], "stance": "neutral", "score": 0.5, "rationale": "stub"} for e in evidence
    ]})
