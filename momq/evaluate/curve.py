"""The learning curve of a training run: every kept checkpoint (and the final adapter) scored the same way.

Each point is evaluated once and cached in the checkpoint's own folder (``eval-<split>-<items>/``), so a curve
can be extended as training goes on. Examples seen = step x batch size x gradient accumulation, read from the
run's ``train_config.yaml``. The caller's :class:`EvalConfig` fixes the items, routing and prompt budget. This
module does not train and does not decide how many checkpoints a run keeps (``save_total_limit``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Any, Mapping

from momq.evaluate.run import METRICS_FILE, EvalConfig, evaluate

log = logging.getLogger(__name__)


def run_points(run_dir: str | Path) -> list[tuple[int, Path]]:
    """(step, adapter folder) of every checkpoint of ``run_dir`` and of its final adapter, by step."""
    from momq.train.trainer import ADAPTER_DIR, SUMMARY_FILE

    run = Path(run_dir)
    points = []
    for ckpt in run.glob("checkpoint-*"):
        step = ckpt.name.rsplit("-", 1)[-1]
        if step.isdigit() and (ckpt / "adapter_config.json").is_file():
            points.append((int(step), ckpt))
    if (run / ADAPTER_DIR / "adapter_config.json").is_file() and (run / SUMMARY_FILE).is_file():
        final = json.loads((run / SUMMARY_FILE).read_text(encoding="utf-8"))["steps"]
        if all(step != final for step, _ in points):
            points.append((final, run / ADAPTER_DIR))
    return sorted(points)


def learning_curve(run_dir: str | Path, config: EvalConfig, engines: Mapping[str, Any] | None = None
                   ) -> list[dict[str, Any]]:
    """One point per checkpoint: step, examples seen, EX and valid rate per dialect and overall."""
    from momq.train.config import TrainConfig
    from momq.train.trainer import CONFIG_FILE

    run = Path(run_dir)
    train = TrainConfig.from_yaml(run / CONFIG_FILE)
    per_step = train.batch_size * train.grad_accum
    curve = []
    for step, adapter in run_points(run):
        out = adapter / f"eval-{config.split}-{config.max_items or 'all'}"
        if not (out / METRICS_FILE).is_file():
            log.info("learning curve: scoring step %d (%s)", step, adapter)
            evaluate(dataclasses.replace(config, adapter=str(adapter), base_model=train.base_model,
                                         prompt_tokens=config.prompt_tokens or train.prompt_tokens,
                                         out_dir=str(out), name=f"step {step}"), engines=engines, progress=False)
        metrics = json.loads((out / METRICS_FILE).read_text(encoding="utf-8"))
        curve.append({"step": step, "examples_seen": step * per_step,
                      "ex": {d: row["ex"] for d, row in metrics["per_dialect"].items()},
                      "valid": {d: row["valid_rate"] for d, row in metrics["per_dialect"].items()},
                      "ex_overall": metrics["overall"]["ex"]})
    return curve


__all__ = ["learning_curve", "run_points"]
