"""The HTTP API on real engines with a tiny model: its OpenAPI spec, answers equal to the library's, concurrent
requests equal to single ones, refusals (unknown connection, size, key) and a live uvicorn server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from momq.serve.api import create_app  # noqa: E402
from momq.serve.config import ServerConfig, ServerConfigError  # noqa: E402

KEY = "k3y-for-tests"


@pytest.fixture(scope="module")
def config(urls):
    return ServerConfig.from_mapping({
        "connections": {"shop_mysql": urls["mysql"], "shop_pg": urls["postgresql"], "shop_graph": urls["cypher"],
                        "shop_ngql": {"url": urls["ngql"], "dialect": "ngql"}},
        "max_request_bytes": 2048, "timeout_s": 5, "max_rows": 100})


@pytest.fixture(scope="module")
def client(config, tiny_model):
    with TestClient(create_app(config, tiny_model)) as c:
        yield c


def test_openapi_spec_is_valid(client):
    from openapi_spec_validator import validate

    spec = client.get("/openapi.json").json()
    validate(spec)
    assert {"/health", "/connections", "/schema/{connection}", "/generate", "/ask"} <= set(spec["paths"])
    assert "AskResponse" in spec["components"]["schemas"]


def test_health_and_connections_never_show_urls(client, urls):
    health = client.get("/health").json()
    assert health["status"] == "ok" and set(health["connections"]) == {"shop_mysql", "shop_pg", "shop_graph",
                                                                      "shop_ngql"}
    listed = client.get("/connections").json()
    assert {c["name"]: c["dialect"] for c in listed} == {"shop_mysql": "mysql", "shop_pg": "postgresql",
                                                         "shop_graph": "cypher", "shop_ngql": "ngql"}
    password = urls["mysql"].split(":")[2].split("@")[0]
    assert password not in client.get("/connections").text + client.get("/health").text


def test_schema_is_the_live_one(client, bench, bench_db):
    body = client.get("/schema/shop_pg").json()
    assert body["database"] == bench_db and body["dialect"] == "postgresql"
    for table in bench.database(bench_db, "postgresql").tables:
        assert table.name in body["text"]


@pytest.mark.parametrize("name, dialect", [("shop_mysql", "mysql"), ("shop_pg", "postgresql"),
                                           ("shop_graph", "cypher"), ("shop_ngql", "ngql")])
def test_ask_and_generate_answer_like_the_library(client, name, dialect, gold, tiny_model, urls):
    from momq.serve.connections import parse_url
    from momq.serve.session import Session

    question = gold[dialect].question
    body = client.post("/ask", json={"connection": name, "question": question, "retries": 1})
    assert body.status_code == 200, body.text
    answer = body.json()
    session = Session(parse_url(urls[dialect], dialect))
    try:
        direct = session.ask(question, tiny_model.proposer(dialect, session.schema()[0]), retries=1,
                             budget=tiny_model.budget).to_dict()
    finally:
        session.close()
    assert [a["query"] for a in answer["attempts"]] == [a["query"] for a in direct["attempts"]]
    assert answer["found"] == direct["found"] and answer["result"] == direct["result"]
    generated = client.post("/generate", json={"connection": name, "question": question}).json()
    assert generated["query"] == answer["attempts"][0]["query"]


def test_concurrent_requests_get_the_single_request_answers(client, gold):
    names = {"mysql": "shop_mysql", "postgresql": "shop_pg", "cypher": "shop_graph", "ngql": "shop_ngql"}
    requests = [{"connection": names[d], "question": gold[d].question, "retries": 1} for d in names] * 2

    def strip(answer):  # timings differ between runs; everything else must not
        return {**answer, "timings": None,
                "attempts": [{**a, "seconds": None} for a in answer["attempts"]]}

    single = [strip(client.post("/ask", json=r).json()) for r in requests]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(lambda r: client.post("/ask", json=r), requests))
    assert all(r.status_code == 200 for r in parallel)
    assert [strip(r.json()) for r in parallel] == single


def test_refusals(client):
    r = client.post("/ask", json={"connection": "elsewhere", "question": "q?"})
    assert r.status_code == 404 and "unknown connection" in r.json()["detail"]
    r = client.post("/ask", json={"connection": "shop_mysql", "question": "x" * 5000})
    assert r.status_code == 413
    r = client.post("/ask", json={"connection": "mysql://root@10.0.0.1/x", "question": "q?"})
    assert r.status_code == 404  # a URL is just an unknown name: the server connects nowhere new
    r = client.post("/ask", json={"connection": "shop_mysql", "question": "q?", "retries": 99})
    assert r.status_code == 422
    r = client.post("/ask", json={"connection": "shop_mysql"})
    assert r.status_code == 422


def test_api_key_is_enforced_when_set(config, tiny_model):
    keyed = ServerConfig(connections=config.connections, api_key=KEY, max_request_bytes=2048)
    with TestClient(create_app(keyed, tiny_model)) as c:
        assert c.get("/health").status_code == 200
        assert c.get("/").status_code == 200
        assert c.get("/connections").status_code == 401
        assert c.get("/connections", headers={"X-API-Key": "wrong"}).status_code == 401
        assert c.post("/ask", json={"connection": "shop_mysql", "question": "q?"}).status_code == 401
        assert c.get("/connections", headers={"X-API-Key": KEY}).status_code == 200
        assert c.get("/schema/shop_mysql", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200


def test_bad_configurations_are_refused():
    with pytest.raises(ServerConfigError, match="connection 'x'"):
        ServerConfig.from_mapping({"connections": {"x": "oracle://h/db"}})
    with pytest.raises(ServerConfigError, match="unknown field"):
        ServerConfig.from_mapping({"conections": {}})


def test_chunked_bodies_are_bounded_too(client):
    import json as _json

    def chunks(body: bytes):
        for k in range(0, len(body), 100):
            yield body[k:k + 100]

    big = _json.dumps({"connection": "shop_mysql", "question": "x" * 5000}).encode()
    r = client.post("/ask", content=chunks(big), headers={"content-type": "application/json"})
    assert r.status_code == 413
    small = _json.dumps({"connection": "nowhere", "question": "q?"}).encode()
    r = client.post("/ask", content=chunks(small), headers={"content-type": "application/json"})
    assert r.status_code == 404  # a small chunked body still reaches the endpoint intact


class _SlowSource:
    base, adapter, budget = "slow", None, None

    def proposer(self, dialect, schema=None):
        import time

        return lambda parts, attempt: (time.sleep(2), "SELECT 1\n```")[1]


def test_engine_down_and_time_limit(config):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    limited = ServerConfig(connections={**config.connections,
                                        "down": ServerConfig.from_mapping(
                                            {"connections": {"d": f"falkordb://127.0.0.1:{dead}/g"}}).connections["d"]},
                           request_timeout_s=0.5)
    with TestClient(create_app(limited, _SlowSource())) as c:
        r = c.post("/ask", json={"connection": "down", "question": "q?"})
        assert r.status_code == 503, r.text
        assert f"127.0.0.1:{dead}" in r.json()["detail"]
        r = c.post("/ask", json={"connection": "shop_mysql", "question": "q?"})
        assert r.status_code == 504
