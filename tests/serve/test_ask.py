"""The ask loop on real engines holding the tiny benchmark's databases, reached through connection URLs.

Queries come from a scripted source (the pipeline's ``propose`` seam) or from a tiny random model through the
real generator; the databases, validation and execution are always the real ones.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from momq.engines.base import ExecutionLimits
from momq.serve.ask import with_feedback
from momq.serve.connections import parse_url
from momq.serve.live_schema import SchemaCache
from momq.serve.session import Session

DIALECTS = ("mysql", "postgresql", "cypher", "ngql")


@pytest.fixture
def sessions(urls):
    opened = {d: Session(parse_url(urls[d], d), SchemaCache(), limits=ExecutionLimits(timeout_s=5, max_rows=200))
              for d in DIALECTS}
    yield opened
    for s in opened.values():
        s.close()


def fence(query: str) -> str:
    return f"{query}\n```"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_gold_query_answers_like_the_engine(dialect, sessions, gold, all_engines, bench_db, scripted):
    item = gold[dialect]
    source = scripted(fence(item.query))
    answer = sessions[dialect].ask(item.question, source, retries=2)
    assert answer.found and len(answer.attempts) == 1
    expected = all_engines[dialect].execute(bench_db, item.query, ExecutionLimits(timeout_s=5, max_rows=200))
    assert sorted(map(repr, answer.result.rows)) == sorted(map(repr, expected.rows))
    # the prompt is the one prompt function's, on the live schema with sample values
    prompt = source.prompts[0]
    assert item.question in prompt.suffix and "### Schema" in prompt.prefix


@pytest.mark.parametrize("dialect, wrong", [
    ("mysql", "SELECT no_such_column FROM client"),
    ("postgresql", "SELECT no_such_column FROM client"),
    ("cypher", "MATCH (c:Nope) RETURN c"),
    ("ngql", "GO FROM OVER"),
])
def test_a_wrong_query_is_retried_with_its_error_in_the_prompt(dialect, wrong, sessions, gold, scripted):
    item = gold[dialect]
    source = scripted(fence(wrong), fence(item.query))
    answer = sessions[dialect].ask(item.question, source, retries=2)
    assert [a.status for a in answer.attempts] == ["invalid", "ok"]
    first, second = source.prompts
    assert second.prefix == first.prefix  # the prefix (and its KV cache) is unchanged
    assert "previous attempt failed: " + wrong in second.suffix
    assert answer.attempts[0].error.split()[0] in second.suffix
    assert second.suffix.endswith(first.suffix[first.suffix.rfind("### "):])  # the opened fence stays last


def test_the_loop_stops_at_the_bound_and_never_reruns_a_failed_query(sessions, gold, scripted, monkeypatch):
    session = sessions["mysql"]
    engine = session.engine()
    calls = []
    for name in ("execute", "explain"):
        real = getattr(engine, name)
        monkeypatch.setattr(engine, name, lambda db, q, limits=None, _real=real, _n=name:
                            (calls.append((_n, q)), _real(db, q, limits))[1])
    source = scripted(fence("SELECT no_such_column FROM client"), fence("SELECT  no_such_column FROM client;"),
                      fence("SELECT id / 0 FROM client WHERE id = -1 AND x = 1"))
    answer = session.ask(gold["mysql"].question, source, retries=2)
    assert not answer.found
    assert [a.status for a in answer.attempts] == ["invalid", "repeat", "invalid"]
    assert len(source.prompts) == 3  # retries=2: three attempts, no more
    planned = [q for n, q in calls if n == "explain"]
    assert planned.count("SELECT no_such_column FROM client") == 1  # the repeat was not sent again
    for retries in (0, 1):
        source = scripted(fence("SELECT no_such_column FROM client"))
        assert len(session.ask("q?", source, retries=retries).attempts) == retries + 1


def test_only_the_first_statement_of_an_answer_is_taken(sessions, gold, scripted, all_engines, bench_db):
    before = checksum(all_engines["mysql"], bench_db, "mysql")
    answer = sessions["mysql"].ask(gold["mysql"].question, scripted(fence("SELECT 1; DROP TABLE client")), retries=0)
    assert answer.query == "SELECT 1"
    assert checksum(all_engines["mysql"], bench_db, "mysql") == before


def checksum(engine, db, dialect) -> str:
    limits = ExecutionLimits(timeout_s=10, max_rows=100_000)
    spec = engine.schema(db)
    parts = []
    if dialect in ("mysql", "postgresql"):
        for t in spec.tables:
            rows = engine.execute(db, f"SELECT * FROM {t.name}", limits).rows
            parts.append(repr(sorted(map(repr, rows))))
    else:
        parts.append(repr(engine.execute(db, "MATCH (n) RETURN count(n)", limits).rows))
        parts.append(repr(engine.execute(db, "MATCH ()-[e]->() RETURN count(e)", limits).rows))
    return hashlib.sha256("".join(parts).encode()).hexdigest()


@pytest.mark.parametrize("dialect, destructive", [
    ("mysql", "DELETE FROM client"),
    ("mysql", "SELECT * FROM client INTO OUTFILE '/tmp/momq-ask-leak'"),
    ("mysql", "SELECT * FROM client FOR UPDATE"),
    ("postgresql", "DROP TABLE client CASCADE"),
    ("postgresql", "WITH gone AS (DELETE FROM client RETURNING *) SELECT count(*) FROM gone"),
    ("cypher", "MATCH (n) DETACH DELETE n"),
    ("ngql", 'DELETE VERTEX "client_1"'),
])
def test_a_destructive_query_is_refused_and_nothing_changes(dialect, destructive, sessions, gold, scripted,
                                                            all_engines, bench_db):
    before = checksum(all_engines[dialect], bench_db, dialect)
    answer = sessions[dialect].ask(gold[dialect].question, scripted(fence(destructive)), retries=0)
    assert not answer.found
    assert answer.attempts[0].status in ("refused", "invalid", "failed"), answer.attempts[0]
    assert checksum(all_engines[dialect], bench_db, dialect) == before


def test_feedback_goes_before_the_query_header():
    from momq.dialects.prompt import PromptParts

    parts = PromptParts("P", "### Question\nq?\n\n### MySQL query\n```sql\n")
    fed = with_feedback(parts, [("SELECT x", "unknown column\n x")])
    assert fed.prefix == "P"
    assert fed.suffix == ("### Question\nq?\n\nprevious attempt failed: SELECT x\nerror: unknown column x\n\n"
                          "### MySQL query\n```sql\n")
    long = with_feedback(parts, [("q", "e" * 1000)])
    assert len(long.suffix) < 400


def test_live_schema_has_sample_values_and_is_cached(sessions, bench, bench_db):
    session = sessions["mysql"]
    spec, _, cached = session.schema()
    assert not cached and any(t.rows for t in spec.tables)
    again, _, cached = session.schema()
    assert cached and again is spec
    graph, _, _ = sessions["ngql"].schema()
    loaded = {n.vid: n for n in bench.database(bench_db, "ngql").nodes}
    assert graph.nodes and all(n.vid in loaded for n in graph.nodes)  # the emulation's own VIDs, for nGQL prompts
    def plain(props):  # numbers compared as numbers (a graph keeps a decimal as a float), the rest as text
        return {k: float(v) if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) else str(v)
                for k, v in props.items() if v is not None}

    assert all(plain(n.properties) == plain(loaded[n.vid].properties) for n in graph.nodes)


def test_schema_cache_on_disk_survives_a_new_process(urls, tmp_path):
    conn = parse_url(urls["postgresql"])
    first = Session(conn, SchemaCache(tmp_path))
    spec, _, cached = first.schema()
    first.close()
    assert not cached and list(tmp_path.glob("*.json"))
    second = Session(conn, SchemaCache(tmp_path))
    again, _, cached = second.schema()
    assert cached and again == spec
    refreshed, _, cached = second.schema(refresh=True)
    assert not cached and refreshed == spec
    second.close()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_end_to_end_with_a_tiny_model(dialect, sessions, gold, tiny_model):
    """The real generator with an adapter in known routing: its output is not meaningful, but every attempt
    is generated, extracted, validated and recorded, within the bound."""
    spec = sessions[dialect].schema()[0]
    answer = sessions[dialect].ask(gold[dialect].question, tiny_model.proposer(dialect, spec), retries=1,
                                   budget=tiny_model.budget)
    assert 1 <= len(answer.attempts) <= 2
    assert all(a.seconds["generation"] > 0 for a in answer.attempts)
    assert answer.found == answer.attempts[-1].ok
    assert answer.to_dict()["dialect"] == dialect


def test_the_served_model_decodes_under_the_schema_grammar_by_default(sessions, tiny_model, tiny_llama_dir,
                                                                       tiny_adapter_dir):
    """``ask`` constrains decoding unless told not to; constrained decoding without the schema is a clear error,
    not a silent fall-back to free decoding."""
    from momq.dialects.prompt import fit_prompt
    from momq.serve.model import QueryModel

    assert tiny_model.constrained and tiny_model.generator.config.constrain
    spec = sessions["mysql"].schema()[0]
    parts = fit_prompt("How many rows?", spec, "mysql", None, tiny_model.budget)
    with pytest.raises(ValueError, match="needs the schema"):
        tiny_model.propose(parts, "mysql")
    free = QueryModel.load(str(tiny_llama_dir), tiny_adapter_dir, max_new_tokens=8, prompt_tokens=2000,
                           constrained=False)
    assert not free.generator.config.constrain
    assert isinstance(free.propose(parts, "mysql"), str)
