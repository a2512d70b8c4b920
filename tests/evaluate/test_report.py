"""The report: every file is written, plots are real PNG images, and the Markdown tables hold the numbers."""

from __future__ import annotations

import json

import pytest
import torch

from momq.adapter.config import MoMQConfig
from momq.adapter.routing import LayerRecord
from momq.adapter.stats import RoutingStats
from momq.evaluate.metrics import paired_difference, summarize
from momq.evaluate.report import write_report
from tests.evaluate.test_metrics import SCORED, sp

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def routing_stats() -> dict:
    """Real RoutingStats JSON: 3 layers, dialect d's tokens go to experts 2d and 2d+1 (and expert 0 in layer 0)."""
    config = MoMQConfig()
    stats = RoutingStats(config)
    d, e, seq = config.num_dialects, config.num_experts, 5
    ids = torch.arange(d)
    records = []
    for layer in range(3):
        topk = torch.stack([torch.tensor([[2 * k, 2 * k + 1]] * seq) for k in range(d)])  # [B, S, 2]
        if layer == 0:
            topk[:, :, 1] = 0
        dialect_logits = torch.nn.functional.one_hot(ids, d).float()[:, None, :].expand(d, seq, d).clone()
        records.append(LayerRecord(expert_logits=torch.zeros(d, seq, e), dialect_logits=dialect_logits,
                                   topk_idx=topk))
    stats.update(records, ids)
    return json.loads(stats.to_json())


@pytest.fixture(scope="module")
def inputs():
    momq = summarize(SCORED, router_accuracy={"token": 0.93, "sequence": 1.0})
    lora_scored = [sp(s.id, s.dialect, "wrong" if s.dialect == "mysql" else ("match" if s.match else "failed"),
                      db=s.db_id, gold_error=s.gold_error) for s in SCORED]
    lora = summarize(lora_scored)
    comparison = paired_difference(SCORED, lora_scored, seed=3)
    curve = [(100, {"mysql": 0.1, "cypher": 0.05}), (200, {"mysql": 0.4, "cypher": 0.3, "ngql": 0.2})]
    return {"momq": momq, "lora": lora}, {"momq - lora": comparison}, curve


@pytest.fixture(scope="module")
def report(tmp_path_factory, inputs):
    results, comparisons, curve = inputs
    out = tmp_path_factory.mktemp("report") / "nested"
    written = write_report(out, results, routing={"momq": routing_stats()}, title="Test run",
                           comparisons=comparisons, learning_curve=curve)
    return out, written


def test_every_file_is_written(report):
    out, written = report
    names = {p.name for p in written}
    assert names == {"report.md", "report.json", "ex_per_dialect.png", "routing_momq.png", "learning_curve.png"}
    assert all(p.parent == out and p.is_file() for p in written)


@pytest.mark.parametrize("name", ["ex_per_dialect.png", "routing_momq.png", "learning_curve.png"])
def test_plots_are_png_images(report, name):
    import matplotlib.image

    path = report[0] / name
    data = path.read_bytes()
    assert len(data) > 2000 and data.startswith(PNG_MAGIC)
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert image.std() > 0.01  # not a blank canvas


def _table(md: str, heading: str, keys: int = 1) -> dict:
    """The rows (first ``keys`` cells -> the other cells) of the table under ``## heading``."""
    section = md.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    out = {"": header[keys:]}
    for line in rows[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        out[cells[0] if keys == 1 else tuple(cells[:keys])] = cells[keys:]
    return out


@pytest.mark.parametrize("key, heading", [("ex", "Execution accuracy (EX)"), ("valid_rate", "Valid-query rate"),
                                          ("em", "Exact match (EM)")])
def test_markdown_tables_hold_the_numbers(report, inputs, key, heading):
    results = inputs[0]
    table = _table((report[0] / "report.md").read_text(), heading)
    assert table[""] == ["mysql", "postgresql", "cypher", "ngql", "overall", "macro"]
    for method, summary in results.items():
        expected = [summary["per_dialect"][d][key] for d in table[""][:4]]
        expected += [summary["overall"][key], summary["macro"][key]]
        assert [float(c) for c in table[method]] == pytest.approx([100 * v for v in expected], abs=0.051), method
    assert table["momq"] != table["lora"]  # the two methods really differ here (mysql)


def test_markdown_has_intervals_comparison_breakdowns_and_curve(report, inputs):
    md = (report[0] / "report.md").read_text()
    results, comparisons, _ = inputs
    lo, hi = results["momq"]["overall"]["ex_ci95"]
    assert f"| momq | overall | 8 | 5 | 62.5 | [{100 * lo:.1f}, {100 * hi:.1f}] |" in md
    rows = _table(md, "Paired comparisons (EX difference, a − b)", keys=2)
    c = comparisons["momq - lora"]
    for dialect, part in [("overall", c), *c["per_dialect"].items()]:
        n, ex_a, ex_b, diff = rows[("momq - lora", dialect)][:4]
        assert (int(n), float(ex_a), float(ex_b)) == (part["n"], pytest.approx(100 * part["ex_a"], abs=0.051),
                                                      pytest.approx(100 * part["ex_b"], abs=0.051))
        assert diff == f"{100 * part['difference']:+.1f}"
    assert rows[("momq - lora", "mysql")][3] == "+75.0"  # momq right on 3 of 4 mysql items, lora on none
    errors = _table(md, "Excluded items and error kinds")
    assert errors["momq"][:3] == ["10", "1", "1"]
    hard = _table(md, "momq: by difficulty")["hard"]
    assert hard[:2] == ["3", "66.7"]
    assert "## momq: by IR feature" in md and "## lora: by database" in md
    assert _table(md, "Learning curve (EX)")["200"] == ["40.0", "30.0", "20.0"]
    layers = _table(md, "Dialect-router accuracy per layer (momq)")
    assert layers["accuracy"] == ["100.0", "100.0", "100.0"]
    assert "![EX per dialect](ex_per_dialect.png)" in md and "![Routing (momq)](routing_momq.png)" in md


def test_report_json_keeps_every_input(report, inputs):
    results, comparisons, curve = inputs
    data = json.loads((report[0] / "report.json").read_text())
    assert data["title"] == "Test run"
    assert data["methods"] == json.loads(json.dumps(results))
    assert data["comparisons"] == json.loads(json.dumps(comparisons))
    assert data["learning_curve"][1] == [200, {"mysql": 0.4, "cypher": 0.3, "ngql": 0.2}]
    assert data["routing"]["momq"]["layers"][2]["expert_tokens"]["cypher"] == [0, 0, 0, 0, 5, 5, 0, 0]


def test_minimal_report_and_refusals(tmp_path, inputs):
    results = {"only": inputs[0]["momq"]}
    written = write_report(tmp_path, results)
    assert {p.name for p in written} == {"report.md", "report.json", "ex_per_dialect.png"}
    with pytest.raises(ValueError, match="no results"):
        write_report(tmp_path, {})
