"""Run an experiment grid run by run, each cached and resumable, and aggregate whatever has finished.

Every run lives in ``<home>/experiments/<experiment>/<run>/``: ``train/`` (a ``momq train`` run folder, resumed
from its last checkpoint when interrupted) and ``eval/`` (a ``momq eval`` output). A run whose ``eval/metrics.json``
exists is done and is never recomputed, so an experiment can be finished over several sittings
(``--max-runs``). :func:`aggregate` writes ``results/<experiment>/`` from the finished runs: the report
(EX / validity / EM per dialect and method, paired differences MoMQ vs LoRA per profile, routing heatmaps,
plots), ``runs.json`` and ``runs.md`` (trainable parameters, train tokens/s, wall time per run), and names the
missing runs. This module does not define the grid (``momq.experiment.config``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

from momq.experiment.config import ExperimentConfig, RunSpec

log = logging.getLogger(__name__)


def experiment_home(home: str | Path, config: ExperimentConfig) -> Path:
    return Path(home) / "experiments" / config.name


def _train_dir(root: Path, spec: RunSpec) -> Path:
    return root / (spec.reuse_training_of or spec.name) / "train"


def run_status(config: ExperimentConfig, home: str | Path) -> dict[str, dict[str, bool]]:
    root = experiment_home(home, config)
    return {spec.name: {"trained": (_train_dir(root, spec) / "adapter" / "adapter_config.json").is_file(),
                        "evaluated": (root / spec.name / "eval" / "metrics.json").is_file()}
            for spec in config.runs()}


def run_experiment(config: ExperimentConfig, home: str | Path, results_dir: str | Path | None = None, *,
                   only: Sequence[str] | None = None, max_runs: int | None = None,
                   engines: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Train and evaluate the runs not done yet (``only``: these names; ``max_runs``: at most that many new
    evaluations in this sitting), then aggregate into ``results_dir`` (when given). Returns the aggregate."""
    from momq.evaluate.run import EvalConfig, evaluate
    from momq.train.trainer import train

    root = experiment_home(home, config)
    specs = config.runs()
    if only:
        unknown = sorted(set(only) - {s.name for s in specs})
        if unknown:
            raise ValueError(f"unknown run(s) {unknown}; this experiment has {[s.name for s in specs]}")
    done = 0
    for spec in specs:
        if only and spec.name not in only:
            continue
        status = run_status(config, home)[spec.name]
        if status["evaluated"]:
            log.info("%s: done (cached)", spec.name)
            continue
        if max_runs is not None and done >= max_runs:
            break
        train_dir = _train_dir(root, spec)
        if not status["trained"]:
            log.info("%s: training%s", spec.name,
                     f" (the run {spec.reuse_training_of} it reuses)" if spec.reuse_training_of else "")
            train(dataclasses.replace(spec.train, output_dir=str(train_dir)))
        log.info("%s: evaluating", spec.name)
        t0 = time.monotonic()
        evaluate(EvalConfig(build=spec.train.build, split=config.eval_split, max_items=config.eval_items,
                            seed=spec.train.seed, base_model=spec.train.base_model, adapter=str(train_dir / "adapter"),
                            routing=spec.inference_routing, prompt_tokens=spec.train.prompt_tokens,
                            batch_size=config.eval_batch_size, max_new_tokens=spec.train.max_answer_tokens,
                            threads=spec.train.threads, out_dir=str(root / spec.name / "eval"), name=spec.name),
                 engines=engines)
        log.info("%s: evaluated in %.0f s", spec.name, time.monotonic() - t0)
        done += 1
    return aggregate(config, home, results_dir)


def aggregate(config: ExperimentConfig, home: str | Path, results_dir: str | Path | None) -> dict[str, Any]:
    """Collect the finished runs; write the report and the runs table into ``results_dir`` (when given)."""
    from momq.evaluate.metrics import paired_difference
    from momq.evaluate.run import METRICS_FILE, PREDICTIONS_FILE, ROUTING_FILE
    from momq.evaluate.score import read_scored
    from momq.train.trainer import SUMMARY_FILE

    root = experiment_home(home, config)
    specs = config.runs()
    results: dict[str, dict] = {}
    routing: dict[str, dict] = {}
    scored: dict[str, list] = {}
    rows: list[dict[str, Any]] = []
    missing: list[str] = []
    for spec in specs:
        eval_dir = root / spec.name / "eval"
        if not (eval_dir / METRICS_FILE).is_file():
            missing.append(spec.name)
            continue
        metrics = json.loads((eval_dir / METRICS_FILE).read_text(encoding="utf-8"))
        metrics.pop("config", None)
        results[spec.name] = metrics
        scored[spec.name] = read_scored(eval_dir / PREDICTIONS_FILE)
        if (eval_dir / ROUTING_FILE).is_file():
            routing[spec.name] = json.loads((eval_dir / ROUTING_FILE).read_text(encoding="utf-8"))
        summary_path = _train_dir(root, spec) / SUMMARY_FILE
        train_summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.is_file() else {}
        rows.append({
            "run": spec.name, "method": spec.method, "profile": spec.profile, "ablation": spec.ablation,
            "inference_routing": spec.inference_routing or ("known" if spec.method != "lora" else None),
            "trainable_params": train_summary.get("trainable_params"),
            "train_examples": train_summary.get("examples"), "train_steps": train_summary.get("steps"),
            "train_tokens_per_s": train_summary.get("tokens_per_second"),
            "train_seconds": train_summary.get("train_seconds"),
            "eval_generation_seconds": metrics.get("inference", {}).get("generation_seconds"),
            "ex": metrics["overall"]["ex"], "macro_ex": metrics.get("macro", {}).get("ex"),
            "ex_per_dialect": {d: r["ex"] for d, r in metrics["per_dialect"].items()},
            "valid_per_dialect": {d: r["valid_rate"] for d, r in metrics["per_dialect"].items()},
        })
    comparisons = {}
    for profile in config.profiles:
        a, b = f"momq.{profile}", f"lora.{profile}"
        if a in scored and b in scored:
            comparisons[f"{a} - {b}"] = paired_difference(scored[a], scored[b])
    claim = _paper_claim(results, config.profiles)
    out = {"results": results, "runs": rows, "comparisons": comparisons, "missing": missing, "claim": claim}
    if results_dir is not None and results:
        from momq.evaluate.report import write_report

        target = Path(results_dir)
        target.mkdir(parents=True, exist_ok=True)
        write_report(target, results, routing=routing or None, comparisons=comparisons or None,
                     title=f"momq experiment {config.name}")
        (target / "runs.json").write_text(json.dumps({"runs": rows, "missing": missing, "claim": claim},
                                                     indent=2) + "\n", encoding="utf-8")
        (target / "runs.md").write_text(_runs_markdown(rows, missing, claim), encoding="utf-8")
    return out


LOW_RESOURCE = ("cypher", "ngql")


def _paper_claim(results: Mapping[str, dict], profiles: Sequence[str]) -> dict[str, Any] | None:
    """The paper's claim on the paper-like profile: MoMQ's EX minus LoRA's, averaged over Cypher and nGQL."""
    a, b = results.get("momq.paper-like"), results.get("lora.paper-like")
    if "paper-like" not in profiles or a is None or b is None:
        return None
    diffs = []
    for d in LOW_RESOURCE:
        if d in a["per_dialect"] and d in b["per_dialect"]:
            diffs.append(a["per_dialect"][d]["ex"] - b["per_dialect"][d]["ex"])
    if not diffs:
        return None
    gain = sum(diffs) / len(diffs)
    return {"low_resource_ex_gain_points": round(100 * gain, 2), "target_points": 3.0, "met": 100 * gain >= 3.0}


def _pct(x: Any) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def _runs_markdown(rows: Sequence[dict], missing: Sequence[str], claim: dict | None) -> str:
    dialects: list[str] = []
    for r in rows:
        dialects += [d for d in r["ex_per_dialect"] if d not in dialects]
    head = ["run", "trainable params", "examples", "steps", "train tok/s", "train s", *[f"EX {d}" for d in dialects],
            *[f"valid {d}" for d in dialects], "EX overall"]
    lines = ["# Runs", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["run"], f"{r['trainable_params']:,}" if r["trainable_params"] else "-",
                 str(r["train_examples"] or "-"), str(r["train_steps"] or "-"),
                 f"{r['train_tokens_per_s']:.0f}" if r["train_tokens_per_s"] else "-",
                 f"{r['train_seconds']:.0f}" if r["train_seconds"] else "-",
                 *[_pct(r["ex_per_dialect"].get(d)) for d in dialects],
                 *[_pct(r["valid_per_dialect"].get(d)) for d in dialects], _pct(r["ex"])]
        lines.append("| " + " | ".join(cells) + " |")
    if claim is not None:
        lines += ["", f"Paper's claim (MoMQ >= LoRA + 3 EX points on Cypher and nGQL, paper-like): "
                      f"{claim['low_resource_ex_gain_points']:+.2f} points, {'met' if claim['met'] else 'NOT met'}."]
    if missing:
        lines += ["", "Not finished yet: " + ", ".join(missing)]
    return "\n".join(lines) + "\n"


__all__ = ["aggregate", "experiment_home", "run_experiment", "run_status"]
