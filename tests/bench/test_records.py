"""Benchmark records: JSONL round trip, validation, and errors that name the line."""

from __future__ import annotations

import json

import pytest

from momq.bench.records import BenchItem, RecordError, read_items, write_items


def item(i: int = 0, **kw) -> BenchItem:
    base = dict(id=f"company-q{i}-p0-mysql", db_id="company", dialect="mysql", question=f"How many employees? {i}",
                query="SELECT COUNT(*) FROM employee", difficulty="easy", features=["count"],
                ir={"root": "employee", "select": [{"func": "count", "col": None}]}, schema="Table employee",
                split="train", query_id=f"company-q{i}", question_id=f"company-q{i}-p0")
    base.update(kw)
    return BenchItem(**base)


def test_round_trip(tmp_path):
    items = [item(0), item(1, dialect="ngql", id="x-ngql", query='MATCH (v:Employee) RETURN count(v)',
                          ir=None, evidence="Employees include contractors.", split=None, source="spider-like")]
    path = tmp_path / "items.jsonl"
    assert write_items(path, items) == 2
    back = read_items(path)
    assert back == items
    assert [json.loads(line)["id"] for line in path.read_text().splitlines()] == [it.id for it in items]


def test_defaults_are_filled():
    it = BenchItem(id="a", db_id="db", dialect="Cypher", question="q?", query="MATCH (n) RETURN n")
    assert (it.dialect, it.domain, it.query_id, it.question_id, it.split) == ("cypher", "db", "a", "a", None)


@pytest.mark.parametrize("bad,message", [
    ({"dialect": "sparql"}, "dialect"),
    ({"difficulty": "trivial"}, "difficulty"),
    ({"split": "validation"}, "split"),
    ({"features": "count"}, "features"),
    ({"query": "  "}, "query"),
    ({"ir": [1, 2]}, "ir"),
])
def test_invalid_fields_are_rejected(bad, message):
    with pytest.raises(RecordError, match=message):
        item(**bad)


def test_malformed_lines_name_file_and_line(tmp_path):
    good = json.dumps(item(0).to_dict())
    cases = {
        "broken.jsonl": (good + "\n\n" + '{"id": "x", "db_id": ', 3, "not valid JSON"),
        "missing.jsonl": (good + "\n" + json.dumps({"id": "y", "db_id": "d", "dialect": "mysql"}), 2, "missing field"),
        "unknown.jsonl": (good + "\n" + json.dumps({**item(1).to_dict(), "gold": "x"}), 2, "unknown field"),
        "dup.jsonl": (good + "\n" + good, 2, "duplicate id"),
        "badvalue.jsonl": (json.dumps({**item(1).to_dict(), "dialect": "sql"}), 1, "dialect"),
    }
    for name, (text, line, message) in cases.items():
        path = tmp_path / name
        path.write_text(text + "\n")
        with pytest.raises(RecordError, match=message) as info:
            read_items(path)
        assert info.value.line == line, name
        assert str(info.value).startswith(f"{path}:{line}: ")


def test_writer_refuses_duplicate_ids(tmp_path):
    with pytest.raises(RecordError, match="duplicate"):
        write_items(tmp_path / "x.jsonl", [item(0), item(0)])
    assert not (tmp_path / "x.jsonl").exists()
