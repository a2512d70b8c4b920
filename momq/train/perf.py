"""``momq perf train``: training throughput of our recipe against the naive one, side by side in one run.

Both recipes train the same adapter on the same base and the same examples for the same number of steps,
each in its own child process (so each peak memory is its own): the naive recipe is transformers' Trainer with
its defaults (fp32, padding on the right to the longest sequence, logits over every position, random batches);
ours is bf16 autocast (where the CPU has it), padding on the left with logits only over the answer window, and
length-grouped batches. The recipes run interleaved, ``rounds`` times each, and the median tokens/s of each is
reported with the ratio. Tokens are the non-padding tokens of the batches. This module only measures.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import statistics
import tempfile
from pathlib import Path
from typing import Any

from momq.train.config import TrainConfig

log = logging.getLogger(__name__)

RECIPES = {
    "naive": {"efficient": False, "bf16": False},
    "ours": {"efficient": True, "bf16": True},
}


def _peak_rss_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("VmHWM not in /proc/self/status")


def _child(config_dict: dict[str, Any], queue) -> None:
    import sys

    sys.stdout = sys.stderr  # the Trainer prints its log lines; the parent's stdout carries only the result
    try:
        from momq.train.trainer import train

        result = train(TrainConfig.from_dict(config_dict), resume=False)
        queue.put({"tokens_per_second": result.tokens_per_second, "seconds": result.train_seconds,
                   "steps": result.steps, "peak_rss_mib": round(_peak_rss_bytes() / 2**20, 1)})
    except BaseException as exc:  # report to the parent instead of dying silently
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def run_recipe(config: TrainConfig) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(config.to_dict(), queue))
    proc.start()
    result = queue.get(timeout=3600)
    proc.join()
    if "error" in result:
        raise RuntimeError(f"recipe failed: {result['error']}")
    return result


def compare(config: TrainConfig, rounds: int = 1) -> dict[str, Any]:
    """Run both recipes ``rounds`` times (interleaved) from ``config``; returns medians, ratio and all runs."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in RECIPES}
    with tempfile.TemporaryDirectory(prefix="momq-perf-train-") as tmp:
        for r in range(rounds):
            for name, changes in RECIPES.items():
                cfg = dataclasses.replace(config, output_dir=str(Path(tmp) / f"{name}-{r}"), save_steps=10**6,
                                          eval_steps=0, **changes)
                log.info("round %d: %s recipe", r + 1, name)
                runs[name].append(run_recipe(cfg))
    med = {name: statistics.median(x["tokens_per_second"] for x in rs) for name, rs in runs.items()}
    return {
        "tokens_per_second": med,
        "ratio": med["ours"] / med["naive"] if med["naive"] else float("nan"),
        "peak_rss_mib": {name: max(x["peak_rss_mib"] for x in rs) for name, rs in runs.items()},
        "runs": runs,
        "settings": {k: v for k, v in config.to_dict().items()
                     if k in ("base_model", "variant", "build", "max_examples", "prompt_tokens", "batch_size",
                              "max_steps", "threads")},
    }


__all__ = ["RECIPES", "compare", "run_recipe"]
