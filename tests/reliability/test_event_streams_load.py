"""100 open /v1/events streams and normal API traffic on a real server: streams hold no in-flight slot, so no call
gets a 503 or waits behind them; every stream gets the new events in order, and a resume by cursor continues
exactly where a stream stopped."""

from __future__ import annotations

import asyncio
import json

import httpx

from tests.support import SEEDS
from tests.support.server_process import ServerProcess

STREAMS = 100
MAX_INFLIGHT = 8  # far fewer than the streams: before, the streams took every slot and the API answered 503


def sse_events(lines: list[str]) -> list[dict]:
    events, current = [], {}
    for line in lines:
        if not line:
            if "id" in current:
                events.append(current)
            current = {}
        elif line.startswith("id:"):
            current["id"] = int(line[3:].strip())
        elif line.startswith("event:"):
            current["event"] = line[6:].strip()
        elif line.startswith("data:"):
            current["data"] = json.loads(line[5:].strip())
    return events


async def scenario(base: str) -> dict:
    limits = httpx.Limits(max_connections=STREAMS + 50, max_keepalive_connections=20)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        posted = await client.post("/v1/documents", json={"text": SEEDS[1].read_text(encoding="utf-8")})
        assert posted.status_code == 201
        claims = [c["id"] for c in posted.json()["claims"][:3]]

        seen: list[list[str]] = [[] for _ in range(STREAMS)]
        opened = asyncio.Event()
        ready = 0

        async def follow(i: int) -> None:
            nonlocal ready
            async with client.stream("GET", "/v1/events") as r:  # a new client: starts from now
                assert r.status_code == 200
                ready += 1
                if ready == STREAMS:
                    opened.set()
                async for line in r.aiter_lines():
                    seen[i].append(line)

        tasks = [asyncio.create_task(follow(i)) for i in range(STREAMS)]
        await asyncio.wait_for(opened.wait(), 120)
        await asyncio.sleep(1)  # every stream has read its opening cursor and is waiting for news

        # Normal traffic while the streams are open: more calls at once than there are in-flight slots.
        calls = [client.get("/v1/documents"), client.get("/v1/claims", params={"limit": 5}), client.get("/healthz"),
                 client.get(f"/v1/claims/{claims[0]}")] * 10
        statuses = [r.status_code for r in await asyncio.gather(*calls)]

        reviews = []
        for cid in claims:
            r = await client.post(f"/v1/claims/{cid}/reviews", json={"verdict": "unverified", "reviewer": "load test"})
            assert r.status_code == 201, r.text
            reviews.append(r.json()["id"])

        async def all_delivered() -> None:
            while any(sum(1 for e in sse_events(lines) if e.get("event") == "review_added") < len(reviews)
                      for lines in seen):
                await asyncio.sleep(0.2)

        await asyncio.wait_for(all_delivered(), 60)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

        events = [sse_events(lines) for lines in seen]
        first = events[0]
        cursor = first[0]["id"]
        resumed = sse_events((await client.get("/v1/events", params={"follow": "false"},
                                               headers={"Last-Event-ID": str(cursor)})).text.split("\n"))
        return {"statuses": statuses, "events": events, "reviews": reviews, "resumed": resumed, "cursor": cursor}


def test_100_streams_and_api_traffic(tmp_path):
    env = {"FACTCHECK_MAX_INFLIGHT": str(MAX_INFLIGHT), "FACTCHECK_MAX_WAITING": "64",
           "FACTCHECK_RATE_LIMIT_PER_MINUTE": "0"}
    with ServerProcess(tmp_path / "data", env=env) as server:
        out = asyncio.run(scenario(server.base_url))
    assert out["statuses"] == [200] * len(out["statuses"])  # no 503, nothing refused
    for events in out["events"]:
        ids = [e["id"] for e in events]
        assert ids == sorted(ids) and len(ids) == len(set(ids))  # in order, no duplicates
        assert [e["data"]["review_id"] for e in events if e["event"] == "review_added"] == out["reviews"]
    assert all(e == out["events"][0] for e in out["events"])  # every stream saw the same events
    tail = [e["id"] for e in out["events"][0] if e["id"] > out["cursor"]]
    assert [e["id"] for e in out["resumed"]] == tail  # the resume continues exactly after the cursor
