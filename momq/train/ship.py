"""Shipping an adapter: package a finished run with its model card, check a shipped package, reproduce its card.

A shipped adapter is a folder: ``adapter.safetensors`` (the trainable tensors, stored in bf16 to halve the size;
they are cast back to the model's dtype on load), ``adapter_config.json``, ``train_config.yaml`` (the exact
training config), ``card.json`` (base model identity and architecture, adapter and training settings, data,
the evaluation settings and scores per dialect, the commands) and ``CARD.md`` (the same for people).
:func:`check_package` verifies a package without loading any model: the config parses, the dialects are ours,
and every tensor's name and shape is what the adapter would create on the recorded architecture (built on the
``meta`` device). :func:`reproduce` re-runs the card's evaluation and compares. This module does not train.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any, Mapping

from momq.provenance import source_commit

log = logging.getLogger(__name__)

CARD_JSON = "card.json"
CARD_MD = "CARD.md"
ARCH_FIELDS = ("model_type", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
               "num_key_value_heads", "vocab_size")


class ShipError(ValueError):
    """A run that cannot be shipped, or a shipped package that is inconsistent."""


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def split_fingerprint(build: str | Path, split: str) -> str | None:
    """sha256 of a build's split file (``splits/<split>.jsonl``): which items a card was scored on. None when the
    build or the split is not there."""
    from momq.bench.dataset import SPLITS_DIR

    path = Path(build) / SPLITS_DIR / f"{split}.jsonl"
    return file_sha256(path) if path.is_file() else None


def build_commit(build: str | Path | None) -> str | None:
    """The momq commit recorded in a benchmark build's manifest (the generator of its items), if any."""
    from momq.bench.build import MANIFEST_FILE

    path = Path(build) / MANIFEST_FILE if build else None
    if path is None or not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("build", {}).get("source_commit")


def _evaluation_entry(eval_dir: Path, command: str) -> dict[str, Any]:
    """The card's record of one ``momq eval --out`` folder: settings, command and scores per dialect."""
    metrics = json.loads((eval_dir / "metrics.json").read_text(encoding="utf-8"))
    eval_cfg, inference = metrics.get("config", {}), metrics.get("inference", {})
    build, split = eval_cfg.get("build"), eval_cfg.get("split")
    return {
        "build": build, "split": split,
        "split_sha256": split_fingerprint(build, split) if build and split else None,
        "items_per_dialect": eval_cfg.get("max_items"), "routing": inference.get("routing"),
        "prompt_tokens": inference.get("prompt_tokens"), "seed": eval_cfg.get("seed"),
        "constrained": bool(eval_cfg.get("constrained", False)), "command": command,
        "per_dialect": {d: {k: row[k] for k in ("n", "ex", "valid_rate", "em")}
                        for d, row in metrics["per_dialect"].items()},
        "overall": {k: metrics["overall"][k] for k in ("n", "ex", "valid_rate", "em")},
    }


def ship(run_dir: str | Path, eval_dir: str | Path, dest: str | Path, eval_command: str = "",
         constrained_eval_dir: str | Path | None = None, constrained_eval_command: str = "") -> Path:
    """Package the adapter of ``run_dir`` (a finished ``momq train`` run) scored in ``eval_dir`` (free decoding)
    and, when given, ``constrained_eval_dir`` (the same evaluation with grammar-constrained decoding) into
    ``dest``."""
    import torch
    from safetensors.torch import load_file, save_file

    from momq.adapter.model import ADAPTER_CONFIG, ADAPTER_WEIGHTS
    from momq.train.config import TrainConfig
    from momq.train.model import load_base, resolve_base
    from momq.train.trainer import ADAPTER_DIR, CONFIG_FILE, SUMMARY_FILE

    run, evald, dest = Path(run_dir), Path(eval_dir), Path(dest)
    evals = [evald] + ([Path(constrained_eval_dir)] if constrained_eval_dir is not None else [])
    for needed in (run / ADAPTER_DIR / ADAPTER_WEIGHTS, run / CONFIG_FILE, run / SUMMARY_FILE,
                   *(e / "metrics.json" for e in evals)):
        if not needed.is_file():
            raise ShipError(f"{needed}: missing (is the run finished and evaluated?)")
    entries = [_evaluation_entry(evald, eval_command)]
    if constrained_eval_dir is not None:
        entries.append(_evaluation_entry(Path(constrained_eval_dir), constrained_eval_command))
    if entries[0]["constrained"]:
        raise ShipError(f"{evald}: the main evaluation must be free (unconstrained) decoding")
    if len(entries) > 1 and not entries[1]["constrained"]:
        raise ShipError(f"{constrained_eval_dir}: this evaluation did not use constrained decoding")
    config = TrainConfig.from_yaml(run / CONFIG_FILE)
    source = resolve_base(config.base_model)
    base_config = load_base(source).config
    summary = json.loads((run / SUMMARY_FILE).read_text(encoding="utf-8"))
    gguf = Path(source.path) / source.gguf_file if source.gguf_file else None
    dest.mkdir(parents=True, exist_ok=True)
    state = {k: v.to(torch.bfloat16).contiguous() for k, v in load_file(str(run / ADAPTER_DIR / ADAPTER_WEIGHTS)).items()}
    save_file(state, str(dest / ADAPTER_WEIGHTS), metadata={"format": "momq", "stored_dtype": "bfloat16"})
    shutil.copyfile(run / ADAPTER_DIR / ADAPTER_CONFIG, dest / ADAPTER_CONFIG)
    shutil.copyfile(run / CONFIG_FILE, dest / CONFIG_FILE)
    card = {
        "name": dest.name,
        "created": _dt.date.today().isoformat(),
        "base_model": {
            "name": config.base_model, "identity": source.identity,
            "sha256": file_sha256(gguf) if gguf is not None else None,
            "architecture": {k: getattr(base_config, k, None) for k in ARCH_FIELDS},
        },
        "adapter": json.loads((dest / ADAPTER_CONFIG).read_text(encoding="utf-8")),
        "trainable_params": summary.get("trainable_params"),
        "training": {k: summary.get(k) for k in ("steps", "examples", "train_seconds", "tokens_per_second",
                                                 "final_loss")}
        | {"command": f"momq train {CONFIG_FILE}", "config": config.to_dict()},
        "evaluation": entries[0],
        "engines": "MySQL on MariaDB 10.11 (MySQL 8 mode), PostgreSQL 15, Cypher on FalkorDB (standing in for "
                   "Neo4j), nGQL on the nGQL emulation over FalkorDB (standing in for NebulaGraph)",
        # the generator of the items the card was scored on; the checkout's own commit when the build has none
        "source_commit": build_commit(entries[0]["build"]) or source_commit(),
    }
    if len(entries) > 1:
        card["evaluation_constrained"] = entries[1]
    (dest / CARD_JSON).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    (dest / CARD_MD).write_text(card_markdown(card), encoding="utf-8")
    problems = check_package(dest)
    if problems:
        raise ShipError(f"{dest}: the package is inconsistent: {problems}")
    return dest


def _scores_table(ev: Mapping[str, Any]) -> list[str]:
    lines = ["| dialect | items | EX | valid | EM |", "|---|---|---|---|---|"]
    for d, row in ev["per_dialect"].items():
        lines.append(f"| {d} | {row['n']} | {100 * row['ex']:.1f}% | {100 * row['valid_rate']:.1f}% | "
                     f"{100 * row['em']:.1f}% |")
    o = ev["overall"]
    lines.append(f"| overall | {o['n']} | {100 * o['ex']:.1f}% | {100 * o['valid_rate']:.1f}% | {100 * o['em']:.1f}% |")
    return lines


def card_markdown(card: Mapping[str, Any]) -> str:
    ev, tr, ad = card["evaluation"], card["training"], card["adapter"]
    constrained = card.get("evaluation_constrained")
    lines = [
        f"# {card['name']}", "",
        f"A MoMQ adapter for **{card['base_model']['identity']}** ({card['base_model']['name']}): "
        f"{ad.get('routing')} routing, r={ad.get('r')}, {ad.get('experts_per_dialect')} experts per dialect, "
        f"{ad.get('shared_experts')} shared, top-{ad.get('top_k')}; {card['trainable_params']:,} trainable parameters "
        f"(stored in bf16).", "",
        "## Scores", "",
        f"{ev['split']} split of `{ev['build']}` (databases never seen in training), {ev['items_per_dialect'] or 'all'} "
        f"items per dialect, {ev['routing']} routing, prompts fitted to {ev['prompt_tokens']} tokens, greedy decoding.",
        f"Engines: {card['engines']}.", "",
        "Free decoding" + (f" (`{ev['command']}`)" if ev.get("command") else "") + ":", "",
        *_scores_table(ev),
    ]
    if constrained:
        lines += ["", "Grammar-constrained decoding (the default of `momq ask`)"
                  + (f" (`{constrained['command']}`)" if constrained.get("command") else "") + ":", "",
                  *_scores_table(constrained)]
    lines += ["", "## Training", "",
              f"{tr['steps']} steps on {tr['examples']} examples of the `{tr['config']['preset']}` preset of "
              f"`{tr['config']['build']}` ({tr['config']['split']} split), batch {tr['config']['batch_size']}, "
              f"learning rate {tr['config']['learning_rate']}, {tr['train_seconds']:.0f} s at "
              f"{tr['tokens_per_second']:.0f} tokens/s on a 2-core CPU; final loss {tr['final_loss']}.", "",
              "## Reproduce", "",
              f"The benchmark build must hold the same {ev['split']} items (`card reproduce` checks their sha256); "
              f"the generator that made them is momq at commit `{card.get('source_commit') or 'unknown'}`.", "",
              "```", "bash scripts/setup.sh && .venv/bin/momq engines up",
              f".venv/bin/momq bench build --size full --out {tr['config']['build']}",
              f".venv/bin/momq train {CONFIG_FILE_NAME}   # retrain (optional)",
              ".venv/bin/momq card reproduce   # re-run the evaluations above and compare", "```", ""]
    return "\n".join(lines)


CONFIG_FILE_NAME = "train_config.yaml"


def check_package(folder: str | Path) -> list[str]:
    """Problems of a shipped package (empty when consistent), found without loading any model weights."""
    import torch
    from safetensors import safe_open
    from transformers import AutoConfig

    from momq.adapter.config import MoMQConfig
    from momq.adapter.model import ADAPTER_CONFIG, ADAPTER_WEIGHTS, MoMQModel
    from momq.dialects.base import DIALECT_NAMES

    folder = Path(folder)
    problems: list[str] = []
    for name in (ADAPTER_WEIGHTS, ADAPTER_CONFIG, CARD_JSON, CARD_MD, CONFIG_FILE_NAME):
        if not (folder / name).is_file():
            problems.append(f"missing {name}")
    if problems:
        return problems
    card = json.loads((folder / CARD_JSON).read_text(encoding="utf-8"))
    config = MoMQConfig.from_json(folder / ADAPTER_CONFIG)
    if tuple(config.dialects) != tuple(DIALECT_NAMES):
        problems.append(f"dialects {config.dialects} are not momq's {DIALECT_NAMES}")
    if card.get("adapter") != json.loads((folder / ADAPTER_CONFIG).read_text(encoding="utf-8")):
        problems.append("card.json's adapter settings differ from adapter_config.json")
    arch = dict(card["base_model"]["architecture"])
    hf_config = AutoConfig.for_model(arch.pop("model_type"), **arch)
    with torch.device("meta"):
        from transformers import AutoModelForCausalLM

        skeleton = AutoModelForCausalLM.from_config(hf_config)
    expected = {n: tuple(p.shape) for n, p in MoMQModel(skeleton, config).trainable_state_dict().items()}
    with safe_open(str(folder / ADAPTER_WEIGHTS), framework="pt") as fh:
        stored = {n: tuple(fh.get_slice(n).get_shape()) for n in fh.keys()}
    if set(stored) != set(expected):
        problems.append(f"tensor names differ: missing {sorted(set(expected) - set(stored))[:3]}, "
                        f"unexpected {sorted(set(stored) - set(expected))[:3]}")
    problems += [f"{n}: shape {stored[n]} != {expected[n]}" for n in sorted(set(stored) & set(expected))
                 if stored[n] != expected[n]]
    n_params = sum(int(torch.Size(s).numel()) for s in stored.values())
    if card.get("trainable_params") != n_params:
        problems.append(f"card says {card.get('trainable_params')} trainable parameters, the weights hold {n_params}")
    return problems


def reproduce(folder: str | Path, build: str | None = None, tolerance: float = 0.02,
              engines: Any = None) -> dict[str, Any]:
    """Re-run the card's evaluations (free, and constrained when the card has it) with the shipped adapter;
    returns per evaluation and dialect (card, now) EX, and whether every one is within ``tolerance``."""
    from momq.evaluate.run import EvalConfig, evaluate

    folder = Path(folder)
    card = json.loads((folder / CARD_JSON).read_text(encoding="utf-8"))
    out: dict[str, Any] = {"evaluations": {}, "tolerance": tolerance}
    for key in ("evaluation", "evaluation_constrained"):
        ev = card.get(key)
        if ev is None:
            continue
        here = split_fingerprint(build or ev["build"], ev["split"])
        if here is None:
            raise ShipError(f"{build or ev['build']}: no {ev['split']} split there; build the benchmark first "
                            f"(momq bench build --size full --out {build or ev['build']})")
        if ev.get("split_sha256") and here != ev["split_sha256"]:
            commit = card.get("source_commit")
            raise ShipError(f"the {ev['split']} split of {build or ev['build']} is not the one this card was scored "
                            f"on (sha256 {here[:12]}... vs {ev['split_sha256'][:12]}...): the benchmark generator "
                            f"changed since; build it with momq at commit {commit or '(unknown)'} to reproduce")
        result = evaluate(EvalConfig(build=build or ev["build"], split=ev["split"], max_items=ev["items_per_dialect"],
                                     seed=ev.get("seed") or 0, base_model=card["base_model"]["name"],
                                     adapter=str(folder), routing=ev["routing"], prompt_tokens=ev["prompt_tokens"],
                                     constrained=bool(ev.get("constrained"))), engines=engines)
        out["evaluations"][key] = {d: {"card": row["ex"], "now": result.summary["per_dialect"].get(d, {}).get("ex")}
                                   for d, row in ev["per_dialect"].items()}
    out["within_tolerance"] = all(r["now"] is not None and abs(r["now"] - r["card"]) <= tolerance
                                  for rows in out["evaluations"].values() for r in rows.values())
    return out


__all__ = ["CARD_JSON", "CARD_MD", "ShipError", "card_markdown", "check_package", "file_sha256", "reproduce", "ship",
           "split_fingerprint"]
