"""`momq bench` through Typer's CliRunner: stats prints the card; build/verify refuse clearly without engines."""

from __future__ import annotations

from typer.testing import CliRunner

from momq.bench.card import make_card, write_card
from momq.bench.records import BenchItem, write_items
from momq.cli import app

runner = CliRunner()


def test_stats_prints_the_card(tmp_path):
    items = [BenchItem(id=f"q-{d}", db_id="company", dialect=d, question="How many?", query="x", difficulty="easy",
                       features=["count"], split="train", query_id="q", question_id="q") for d in ("mysql", "postgresql", "cypher", "ngql")]
    write_items(tmp_path / "items.jsonl", items)
    write_card(tmp_path, make_card("demo", items, [{"db_id": "company", "reason": "disagreement"}],
                                   build={"seconds": 1.5}))
    result = runner.invoke(app, ["bench", "stats", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "# Data card: demo" in result.output
    assert "| items | 1 | 1 | 1 | 1 | 4 |" in result.output
    assert "| disagreement | 1 | 50.0% |" in result.output


def test_stats_without_a_build_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["bench", "stats", str(tmp_path)])
    assert result.exit_code == 2
    assert "momq bench build" in result.output


def test_build_and_verify_without_engines_say_how_to_start_them(tmp_path, monkeypatch):
    monkeypatch.setenv("MOMQ_HOME", str(tmp_path / "home"))  # no servers were ever started here
    write_items(tmp_path / "b" / "items.jsonl", [BenchItem(id="a", db_id="d", dialect="mysql", question="q",
                                                           query="SELECT 1")])
    for args in (["bench", "build", "--size", "small", "--out", str(tmp_path / "out")],
                 ["bench", "verify", str(tmp_path / "b")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 3, result.output  # an engine cannot be used
        assert "momq engines up" in result.output


def test_bad_options(tmp_path):
    result = runner.invoke(app, ["bench", "build", "--size", "huge", "--out", str(tmp_path)])
    assert result.exit_code != 0 and "small" in result.output
    result = runner.invoke(app, ["bench", "verify", str(tmp_path)])  # no items.jsonl
    assert result.exit_code == 2 and "no such file" in result.output


def test_external_reports_an_unreadable_suite_before_touching_engines(tmp_path):
    (tmp_path / "items.jsonl").write_text('{"question": "q", "dialect": "mysql", "db_id": "shop", "query": "SELECT 1"}\n')
    result = runner.invoke(app, ["bench", "external", str(tmp_path / "items.jsonl"), "--databases", str(tmp_path / "dbs")])
    assert result.exit_code == 2
    assert "not a folder of database files" in result.output
    result = runner.invoke(app, ["bench", "external", str(tmp_path / "none.jsonl"), "--databases", str(tmp_path)])
    assert result.exit_code == 2 and "no such items file" in result.output
