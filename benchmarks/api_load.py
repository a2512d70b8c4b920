"""Requests per second of the HTTP API under a bounded loopback load, and the error count (must be 0).

A live uvicorn server on loopback serves one named connection to a demo database in our local engines; C client
threads send N `/ask` requests in total. The query source is scripted (a fixed valid query), so the figure is
the server's own path (HTTP, validation with EXPLAIN, read-only execution, locks), not the model's speed; with
`--model` the real model answers instead (generation dominates and is serialised by design).

    MOMQ_HOME=/tmp/momq-ask .venv/bin/python benchmarks/api_load.py --db demo:company -c 8 -n 400
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor


class FixedQuery:
    base, adapter, budget = "scripted", None, None

    def __init__(self, text: str):
        self.text = text

    def proposer(self, dialect, schema=None):
        return lambda parts, attempt: self.text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="demo:company")
    parser.add_argument("--query", default="SELECT name, salary FROM employee ORDER BY salary DESC LIMIT 10")
    parser.add_argument("-c", type=int, default=8, help="client threads")
    parser.add_argument("-n", type=int, default=400, help="requests in total")
    parser.add_argument("--model", action="store_true", help="the real model instead of a fixed query")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import httpx
    import uvicorn

    from momq.engines.manager import momq_home
    from momq.serve.api import create_app
    from momq.serve.config import ServerConfig

    config = ServerConfig.from_mapping({"connections": {"demo": args.db}})
    if args.model:
        from momq.serve.model import QueryModel

        model = QueryModel.load(max_new_tokens=64)
    else:
        model = FixedQuery(args.query + "\n```")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(config, model, home=momq_home()), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/ask"
    body = {"connection": "demo", "question": "Who are the ten best paid employees?", "retries": 0}
    local = threading.local()

    def send(_k: int) -> tuple[int, bool, float]:
        if not hasattr(local, "client"):
            local.client = httpx.Client(timeout=120)
        t0 = time.monotonic()
        r = local.client.post(url, json=body)
        return r.status_code, r.status_code == 200 and r.json()["found"], time.monotonic() - t0

    send(0)  # warm: engine connection, schema introspection
    t0 = time.monotonic()
    with ThreadPoolExecutor(args.c) as pool:
        results = list(pool.map(send, range(args.n)))
    wall = time.monotonic() - t0
    server.should_exit = True
    thread.join(10)
    latencies = sorted(r[2] for r in results)
    errors = sum(1 for status, found, _ in results if status != 200 or not found)
    print(json.dumps({"db": args.db, "clients": args.c, "requests": args.n, "source": "model" if args.model
                      else "fixed query", "wall_s": round(wall, 2), "requests_per_s": round(args.n / wall, 1),
                      "errors": errors, "p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
                      "p95_ms": round(1000 * latencies[int(len(latencies) * 0.95) - 1], 1)}, indent=1))


if __name__ == "__main__":
    main()
