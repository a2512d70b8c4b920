"""``momq mcp`` exercised with the official SDK's client over stdio: the real command in a subprocess, the tiny
model with an adapter, real engines behind named connections."""

from __future__ import annotations

import json
import os
import sys

import pytest

pytest.importorskip("mcp")


async def _talk(args, calls):
    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(command=sys.executable, args=["-m", "momq.cli", "mcp", *args],
                                   env={**os.environ})
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {t.name for t in (await session.list_tools()).tools}
            results = [await session.call_tool(name, arguments) for name, arguments in calls]
    return tools, results


def _payload(result):
    if result.structured_content is not None:
        content = result.structured_content
        return content.get("result", content) if set(content) == {"result"} else content
    return json.loads(result.content[0].text)


@pytest.mark.slow
def test_ask_and_schema_over_stdio(urls, gold, tiny_llama_dir, tiny_adapter_dir, bench_db):
    import anyio

    args = ["--connection", f"shop={urls['postgresql']}", "--connection", f"graph={urls['cypher']}",
            "--base", str(tiny_llama_dir), "--adapter", str(tiny_adapter_dir), "--max-new-tokens", "16", "--no-lint"]
    calls = [("connections", {}), ("schema", {"connection": "shop"}),
             ("ask", {"connection": "graph", "question": gold["cypher"].question, "retries": 1}),
             ("ask", {"connection": "mysql://root@10.0.0.1/x", "question": "q?"})]
    tools, (listed, schema, answer, refused) = anyio.run(_talk, args, calls)
    assert {"ask", "schema", "connections"} <= tools
    assert {c["name"]: c["dialect"] for c in _payload(listed)} == {"shop": "postgresql", "graph": "cypher"}
    schema = _payload(schema)
    assert schema["database"] == bench_db and "### " not in schema["text"] and schema["text"].strip()
    answer = _payload(answer)
    assert answer["dialect"] == "cypher" and 1 <= len(answer["attempts"]) <= 2
    assert answer["found"] == (answer["result"] is not None)
    assert refused.is_error and "unknown connection" in refused.content[0].text
