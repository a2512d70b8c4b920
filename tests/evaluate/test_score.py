"""Scoring on a small real build and the real engines: planted predictions get the right verdicts, nothing changes.

For every dialect one item of the build gets five planted outputs: the gold in a code fence with chatter after it
(valid, match, exact match), another item's gold on the same database with different rows (valid, no match),
an unparsable query (``failed``), an answer with an empty fence (``extract``) and a destructive statement
(``unsafe``; a checksum of the stored data is the same before and after).
"""

from __future__ import annotations

import hashlib
import json

import pytest

from momq.bench.build import BuildConfig, build
from momq.bench.domains import domain_names
from momq.dialects import DIALECT_NAMES
from momq.engines.base import ExecutionLimits
from momq.evaluate.score import (
    GoldCache,
    ScoredPrediction,
    read_scored,
    score_prediction,
    score_predictions,
    write_scored,
)
from tests.engines.test_cypher_hostile import server_checksum

LIMITS = ExecutionLimits(timeout_s=5.0, max_rows=5000)

UNPARSABLE = {
    "mysql": "SELECT name FRM WHERE (",
    "postgresql": "SELECT FROM WHERE (",
    "cypher": "MATCH (n RETURN n",
    "ngql": "GO FROM OVER YIELD",
}
FENCE = {"mysql": "sql", "postgresql": "sql", "cypher": "cypher", "ngql": "ngql"}


def destructive(dialect: str, engine, db: str) -> str:
    if dialect == "mysql":
        return f"DROP TABLE `{engine.schema(db).tables[0].name}`"
    if dialect == "postgresql":
        return f'DELETE FROM "{engine.schema(db).tables[0].name}"'
    if dialect == "cypher":
        return "MATCH (n) DETACH DELETE n"
    return 'DELETE VERTEX "1" WITH EDGE'


def sql_checksum(engine, db: str, dialect: str) -> str:
    """Every table's rows, read through the engine, as one digest (a dropped or emptied table changes it)."""
    quote = "`" if dialect == "mysql" else '"'
    parts = []
    for table in engine.schema(db).tables:
        rows = engine.execute(db, f"SELECT * FROM {quote}{table.name}{quote}", ExecutionLimits(max_rows=100_000)).rows
        assert rows, f"{db}.{table.name} is empty: the checksum would not see a DELETE"
        parts.append((table.name, sorted(map(repr, rows))))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.fixture(scope="module")
def engines(all_engines):
    return all_engines


@pytest.fixture(scope="module")
def small_build(tmp_path_factory, engines):
    out = tmp_path_factory.mktemp("score_bench")
    config = BuildConfig(size="small", seed=11, domains=tuple(domain_names()[:2]), queries_per_domain=6,
                         data_scale=0.3, progress=False)
    return build(out, engines=engines, config=config).items


def _rows(engine, item) -> list[str]:
    return sorted(map(repr, engine.execute(item.db_id, item.query, LIMITS).rows))


@pytest.fixture(scope="module")
def planted(small_build, engines):
    """dialect -> (item, {case: output}) for one item with a non-empty result and a same-database decoy."""
    out = {}
    for dialect in DIALECT_NAMES:
        engine = engines[dialect]
        items = [it for it in small_build if it.dialect == dialect]
        chosen = None
        for item in items:
            gold_rows = _rows(engine, item)
            if not gold_rows:
                continue
            decoy = next((o for o in items if o.db_id == item.db_id and o.query != item.query
                          and _rows(engine, o) != gold_rows), None)
            if decoy is not None:
                chosen = (item, decoy)
                break
        assert chosen is not None, f"no {dialect} item with a non-empty result and a decoy in the build"
        item, decoy = chosen
        out[dialect] = (item, {
            "correct": f"```{FENCE[dialect]}\n{item.query}\n```\nThis query answers the question by ...",
            "wrong": f"```{FENCE[dialect]}\n{decoy.query}\n```",
            "unparsable": f"```{FENCE[dialect]}\n{UNPARSABLE[dialect]}\n```",
            "empty": f"```{FENCE[dialect]}\n\n```\nI cannot write this query.",
            "destructive": f"```{FENCE[dialect]}\n{destructive(dialect, engine, item.db_id)}\n```",
        })
    return out


# case -> (valid, match, exact_match, error_kind)
EXPECTED = {
    "correct": (True, True, True, None),
    "wrong": (True, False, False, None),
    "unparsable": (False, False, False, "failed"),
    "empty": (False, False, False, "extract"),
    "destructive": (False, False, False, "unsafe"),
}


def _checksum(dialect, engines, falkordb_server, db):
    if dialect in ("mysql", "postgresql"):
        return sql_checksum(engines[dialect], db, dialect)
    return server_checksum(falkordb_server)


@pytest.mark.parametrize("dialect", DIALECT_NAMES)
@pytest.mark.parametrize("case", list(EXPECTED))
def test_planted_prediction(planted, engines, falkordb_server, dialect, case):
    item, outputs = planted[dialect]
    before = _checksum(dialect, engines, falkordb_server, item.db_id) if case == "destructive" else None
    s = score_prediction(item, outputs[case], engines[dialect], LIMITS)
    assert (s.valid, s.match, s.exact_match, s.error_kind) == EXPECTED[case], s
    assert s.gold_error is None and s.output == outputs[case]
    assert (s.error is None) == s.valid
    if case == "correct":
        assert s.prediction == item.query.strip().rstrip(";").strip()
    if case == "empty":
        assert s.prediction == "" and s.exec_seconds is None
    else:
        assert s.exec_seconds is not None and s.exec_seconds >= 0
    if case == "destructive":
        assert _checksum(dialect, engines, falkordb_server, item.db_id) == before, "a destructive prediction changed data"
    assert (s.id, s.dialect, s.db_id, s.question, s.gold) == (item.id, item.dialect, item.db_id, item.question,
                                                            item.query)
    assert (s.difficulty, s.features) == (item.difficulty, item.features)


def test_gold_results_are_cached_per_distinct_gold(planted, engines):
    item, outputs = planted["ngql"]
    cache = GoldCache()
    for output in outputs.values():  # starts from an empty cache, as score_predictions does
        score_prediction(item, output, engines["ngql"], LIMITS, gold_cache=cache)
        assert len(cache) == 1
    first = cache.get(item, engines["ngql"], LIMITS)
    score_prediction(item, outputs["correct"], engines["ngql"], LIMITS, gold_cache=cache)
    assert len(cache) == 1 and cache.get(item, engines["ngql"], LIMITS) is first
    other = item.replace(id="other", query=item.query + " ")  # a different gold text is a different entry
    cache.get(other, engines["ngql"], LIMITS)
    assert len(cache) == 2


def test_score_predictions_in_order_and_round_trip(planted, engines, tmp_path):
    items, outputs = [], []
    for dialect in DIALECT_NAMES:
        item, cases = planted[dialect]
        for case in EXPECTED:
            items.append(item)
            outputs.append(cases[case])
    scored = score_predictions(items, outputs, engines, LIMITS)
    assert [(s.valid, s.match, s.exact_match, s.error_kind) for s in scored] == \
        [EXPECTED[case] for _ in DIALECT_NAMES for case in EXPECTED]
    assert [s.output for s in scored] == outputs
    scored[0].generation_seconds, scored[0].new_tokens = 0.25, 17  # the caller's fields survive the round trip
    path = tmp_path / "scored.jsonl"
    assert write_scored(path, scored) == len(scored)
    assert read_scored(path) == scored
    first = json.loads(path.read_text().splitlines()[0])
    assert first["output"] == outputs[0] and first["valid"] is True and first["new_tokens"] == 17


def test_a_failing_gold_is_not_charged_to_the_model(planted, engines):
    item, outputs = planted["mysql"]
    broken = item.replace(query="SELECT no_such_column FROM no_such_table")
    s = score_prediction(broken, outputs["correct"], engines["mysql"], LIMITS, gold_cache=GoldCache())
    assert s.gold_error is not None and "gold query failed" in s.gold_error
    assert s.valid and not s.match and s.error_kind is None  # the model's query ran; it is simply not compared


@pytest.mark.parametrize("dialect, slow", [("mysql", "SELECT SLEEP(30)"), ("postgresql", "SELECT pg_sleep(30)")])
def test_a_slow_prediction_is_a_timeout(planted, engines, dialect, slow):
    item, _ = planted[dialect]
    limits = ExecutionLimits(timeout_s=0.5, max_rows=5000)
    s = score_prediction(item, slow, engines[dialect], limits)
    assert (s.valid, s.match, s.error_kind) == (False, False, "timeout") and s.gold_error is None
    assert s.exec_seconds < 0.5 + 5.0  # bounded by the limit (with slack for a loaded machine)


def test_an_unknown_database_is_unavailable(planted, engines):
    item, outputs = planted["postgresql"]
    s = score_prediction(item.replace(db_id="no_such_db"), outputs["correct"], engines["postgresql"], LIMITS)
    assert (s.valid, s.match, s.error_kind) == (False, False, "unavailable") and s.gold_error is not None


def test_a_wrong_engine_or_count_is_refused(planted, engines):
    item, outputs = planted["cypher"]
    with pytest.raises(ValueError, match="cannot run on"):
        score_prediction(item, outputs["correct"], engines["ngql"], LIMITS)
    with pytest.raises(ValueError, match="1 items but 2 outputs"):
        score_predictions([item], ["a", "b"], engines, LIMITS)


@pytest.mark.parametrize(
    "changes",
    [
        {"valid": True, "error_kind": "failed"},
        {"valid": False, "error_kind": None},
        {"valid": False, "match": True, "error_kind": "failed"},
        {"gold_error": "broken", "match": True},
    ],
)
def test_scored_prediction_refuses_inconsistent_fields(changes):
    base = dict(id="x", dialect="mysql", db_id="d", question="q", gold="SELECT 1", output="SELECT 1",
                prediction="SELECT 1", valid=True, match=True, exact_match=True)
    ScoredPrediction(**base)
    with pytest.raises(ValueError):
        ScoredPrediction(**{**base, **changes})


def test_a_prediction_matching_any_gold_alternative_counts(planted, engines):
    from momq.dialects.prompt import extract_query

    item, outputs = planted["postgresql"]
    decoy = extract_query(outputs["wrong"], "postgresql")
    several = item.replace(query=decoy, alternatives=["SELECT no_such_column FROM no_such_table", item.query])
    cache = GoldCache()
    s = score_prediction(several, outputs["correct"], engines["postgresql"], LIMITS, gold_cache=cache)
    assert s.match and s.exact_match and s.gold_error is None and "gold alternative 3 of 3" in s.reason
    s = score_prediction(several, outputs["wrong"], engines["postgresql"], LIMITS, gold_cache=cache)
    assert s.match and "gold alternative 1 of 3" in s.reason
    alone = item.replace(query=decoy)
    assert not score_prediction(alone, outputs["correct"], engines["postgresql"], LIMITS, gold_cache=cache).match
    broken = item.replace(query="SELECT a FROM no_such_table", alternatives=["SELECT b FROM no_such_table"])
    s = score_prediction(broken, outputs["correct"], engines["postgresql"], LIMITS, gold_cache=cache)
    assert not s.match and s.gold_error.startswith("all 2 gold alternatives fail")
