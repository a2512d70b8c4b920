"""Shipping: a trained and evaluated tiny run becomes a consistent package; broken packages are caught; and the
adapter shipped in the repository is consistent with its card (no model is loaded)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from momq.adapters import shipped_adapter
from momq.train.ship import check_package, ship


@pytest.fixture(scope="module")
def tiny_package(tiny_bench, tiny_llama_dir, all_engines, tmp_path_factory):
    from momq.evaluate.run import EvalConfig, evaluate
    from momq.train.config import TrainConfig
    from momq.train.trainer import train

    root = tmp_path_factory.mktemp("ship")
    config = TrainConfig(base_model=str(tiny_llama_dir), build=str(tiny_bench), output_dir=str(root / "run"),
                         max_steps=1, batch_size=2, max_examples=2, prompt_tokens=700, max_answer_tokens=200,
                         bf16=False, threads=1, r=4, alpha=8.0, save_steps=10)
    train(config)
    evaluate(EvalConfig(build=str(tiny_bench), base_model=str(tiny_llama_dir), adapter=str(root / "run" / "adapter"),
                        max_items=1, prompt_tokens=700, max_new_tokens=8, out_dir=str(root / "eval")),
             engines=all_engines, progress=False)
    evaluate(EvalConfig(build=str(tiny_bench), base_model=str(tiny_llama_dir), adapter=str(root / "run" / "adapter"),
                        max_items=1, prompt_tokens=700, max_new_tokens=8, constrained=True,
                        out_dir=str(root / "eval-constrained")), engines=all_engines, progress=False)
    return ship(root / "run", root / "eval", root / "package", eval_command="momq eval ...",
                constrained_eval_dir=root / "eval-constrained", constrained_eval_command="momq eval --constrained ...")


def test_a_shipped_run_is_consistent(tiny_package):
    assert check_package(tiny_package) == []
    card = json.loads((tiny_package / "card.json").read_text())
    assert set(card["evaluation"]["per_dialect"]) == {"mysql", "postgresql", "cypher", "ngql"}
    assert card["base_model"]["architecture"]["num_hidden_layers"] == 2
    assert card["evaluation"]["constrained"] is False and card["evaluation_constrained"]["constrained"] is True
    # the generator of the scored items is the build's, as its manifest records it
    manifest = json.loads((Path(card["evaluation"]["build"]) / "manifest.json").read_text())
    assert card["source_commit"] == manifest["build"]["source_commit"]
    assert set(card["evaluation_constrained"]["per_dialect"]) == set(card["evaluation"]["per_dialect"])
    text = (tiny_package / "CARD.md").read_text()
    assert "| mysql |" in text and "Grammar-constrained decoding" in text and "momq eval --constrained ..." in text


@pytest.mark.parametrize("free, constrained, message", [
    ("eval-constrained", None, "must be free"),
    ("eval", "eval", "did not use constrained decoding"),
])
def test_evaluations_in_the_wrong_role_are_refused(tiny_package, tmp_path, free, constrained, message):
    from momq.train.ship import ShipError

    root = tiny_package.parent
    with pytest.raises(ShipError, match=message):
        ship(root / "run", root / free, tmp_path / "package",
             constrained_eval_dir=root / constrained if constrained else None)
    assert not (tmp_path / "package").exists()  # nothing half-written


def _break_config(folder):
    cfg = json.loads((folder / "adapter_config.json").read_text())
    cfg["r"] = cfg["r"] * 2
    (folder / "adapter_config.json").write_text(json.dumps(cfg))


def _break_dialects(folder):
    for name in ("adapter_config.json",):
        cfg = json.loads((folder / name).read_text())
        cfg["dialects"] = ["mysql", "postgresql", "cypher", "sparql"]
        (folder / name).write_text(json.dumps(cfg))


def _break_count(folder):
    card = json.loads((folder / "card.json").read_text())
    card["trainable_params"] += 1
    (folder / "card.json").write_text(json.dumps(card))


def _break_architecture(folder):
    card = json.loads((folder / "card.json").read_text())
    card["base_model"]["architecture"]["intermediate_size"] += 8
    (folder / "card.json").write_text(json.dumps(card))


@pytest.mark.parametrize("breaker, message", [
    (_break_config, "differ from adapter_config.json"),
    (_break_dialects, "not momq's"),
    (_break_count, "trainable parameters"),
    (_break_architecture, "shape"),
    (lambda f: (f / "CARD.md").unlink(), "missing CARD.md"),
])
def test_inconsistent_packages_are_caught(tiny_package, tmp_path, breaker, message):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_package, broken)
    breaker(broken)
    problems = check_package(broken)
    assert any(message in p for p in problems), problems


@pytest.mark.skipif(not (shipped_adapter() / "card.json").is_file(), reason="no adapter shipped yet")
def test_the_shipped_adapter_is_consistent():
    from momq.dialects import DIALECT_NAMES
    from momq.train.model import SMOLLM_GGUF

    folder = shipped_adapter()
    assert check_package(folder) == []
    card = json.loads((folder / "card.json").read_text())
    assert card["base_model"]["identity"] == SMOLLM_GGUF
    assert card["base_model"]["architecture"]["model_type"] == "llama"
    assert list(card["evaluation"]["per_dialect"]) == list(DIALECT_NAMES)
    assert sum(p.stat().st_size for p in folder.iterdir()) <= 30 * 2**20


def test_the_card_fingerprints_its_split_and_reproduce_refuses_another(tiny_package, tiny_bench, tmp_path):
    """A card names the exact items it was scored on; reproducing on a build whose generator has changed since
    stops with the commit to build at, instead of comparing scores on different items."""
    from momq.train.ship import ShipError, reproduce, split_fingerprint

    card = json.loads((tiny_package / "card.json").read_text())
    assert card["evaluation"]["split_sha256"] == split_fingerprint(tiny_bench, "test")
    assert card["evaluation_constrained"]["split_sha256"] == card["evaluation"]["split_sha256"]
    changed = tmp_path / "build"
    shutil.copytree(tiny_bench, changed)
    with (changed / "splits" / "test.jsonl").open("a") as fh:
        fh.write("\n")
    with pytest.raises(ShipError, match="not the one this card was scored on"):
        reproduce(tiny_package, build=str(changed))
    with pytest.raises(ShipError, match="no test split"):
        reproduce(tiny_package, build=str(tmp_path / "nowhere"))
