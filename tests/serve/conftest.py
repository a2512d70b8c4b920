"""Serving fixtures: connection URLs to the session's real engines holding the tiny benchmark's databases (the
read-only accounts, as a user would give them), a scripted query source, and a tiny model with a MoMQ adapter."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def bench(tiny_bench):
    from momq.bench.dataset import open_build

    return open_build(tiny_bench)


@pytest.fixture(scope="session")
def bench_db(bench):
    """The tiny build's first database (the engines hold it)."""
    return bench.database_ids()[0]


@pytest.fixture(scope="session")
def urls(all_engines, tiny_bench, bench_db, mariadb_server, postgres_server, falkordb_server):
    from momq.engines.mariadb import READ_USER as MARIA_READER
    from momq.engines.postgres import READ_USER as PG_READER

    pw = mariadb_server.credentials()["reader_password"]
    return {
        "mysql": f"mysql://{MARIA_READER}:{pw}@127.0.0.1:{mariadb_server.port}/{bench_db}",
        "postgresql": f"postgresql://{PG_READER}@127.0.0.1:{postgres_server.port}/{bench_db}",
        "cypher": f"falkordb://127.0.0.1:{falkordb_server.port}/{bench_db}",
        "ngql": f"falkordb://127.0.0.1:{falkordb_server.port}/{bench_db}",
    }


@pytest.fixture(scope="session")
def gold(bench, bench_db):
    """dialect -> a verified gold item on ``bench_db``."""
    out = {}
    for item in bench.items():
        if item.db_id == bench_db and item.dialect not in out:
            out[item.dialect] = item
    assert len(out) == 4
    return out


class Scripted:
    """A query source that answers from a list, one text per attempt, and records the prompts it was given."""

    def __init__(self, *texts: str):
        self.texts = list(texts)
        self.prompts = []

    def __call__(self, parts, attempt: int) -> str:
        self.prompts.append(parts)
        return self.texts[min(attempt, len(self.texts) - 1)]


@pytest.fixture
def scripted():
    return Scripted


@pytest.fixture(scope="session")
def tiny_adapter_dir(tmp_path_factory, tiny_llama_dir):
    """A MoMQ adapter (untrained) for the tiny Llama, saved as a folder like a shipped one."""
    from momq.adapter import MoMQConfig, inject
    from momq.train.model import load_base, resolve_base

    out = tmp_path_factory.mktemp("tiny_adapter")
    inject(load_base(resolve_base(str(tiny_llama_dir))), MoMQConfig(r=4, alpha=8)).save_adapter(out)
    return out


@pytest.fixture(scope="session")
def tiny_model(tiny_llama_dir, tiny_adapter_dir):
    from momq.serve.model import QueryModel

    return QueryModel.load(str(tiny_llama_dir), tiny_adapter_dir, max_new_tokens=24, prompt_tokens=2000)
