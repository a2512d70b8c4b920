"""``momq eval``: generate for a split of a benchmark build (or an external suite) and score on the real engines.

:func:`evaluate` opens the build, picks the items (split, dialects, a seeded per-dialect sample), builds each
prompt with the build's prompt function under the same token budget as training, generates greedily in batches
with the shared-prefix KV cache (:class:`momq.infer.generate.Generator`), extracts and runs every prediction
read-only on the item's engine, compares it with the gold result and writes ``predictions.jsonl`` (every
prediction with its error and timing), ``metrics.json``, ``routing.json`` and a report (Markdown and plots).
The model is loaded once; the routing used at inference is chosen here (known-dialect by default). This module
does not train and does not start engines: the caller passes connected engines (default: the running local
servers, ``momq engines up``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import random
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

from momq.bench.records import BenchItem
from momq.dialects.base import check_dialect
from momq.engines.base import Engine, ExecutionLimits

log = logging.getLogger(__name__)

PREDICTIONS_FILE = "predictions.jsonl"
METRICS_FILE = "metrics.json"
ROUTING_FILE = "routing.json"
INFERENCE_ROUTINGS = ("known", "soft", "hard", "none")


@dataclasses.dataclass
class EvalConfig:
    #: A benchmark build folder.
    build: str = "out/bench"
    #: Or an external suite (``momq bench external``): its items JSONL and its databases folder.
    suite: str | None = None
    suite_databases: str | None = None
    suite_sql_dialect: str = "mysql"
    split: str = "test"
    dialects: tuple[str, ...] | None = None
    #: At most this many items per dialect (a seeded sample), None: all.
    max_items: int | None = None
    seed: int = 0
    #: The base model (see ``momq.train.model.resolve_base``) and an adapter folder (None: the bare base).
    base_model: str = "smollm2-135m"
    adapter: str | None = None
    #: Inference routing for MoMQ adapters: known (the item's dialect), soft, hard or none. None: known.
    routing: str | None = None
    #: The prompt budget; None: the adapter's training budget (its run's train_config.yaml), else 640.
    prompt_tokens: int | None = None
    batch_size: int = 8
    max_new_tokens: int = 160
    #: Grammar-constrained decoding (``momq.constrain``): answers parse and name only the item's schema.
    constrained: bool = False
    threads: int = 0
    timeout_s: float = 10.0
    #: The comparator's "extra columns allowed" mode: a prediction whose columns contain the gold's matches.
    extra_columns: bool = False
    max_rows: int = 10_000
    #: Where predictions, metrics and the report go (None: write nothing).
    out_dir: str | None = None
    #: The method's name in reports.
    name: str = "model"

    def __post_init__(self) -> None:
        if (self.suite is None) != (self.suite_databases is None):
            raise ValueError("an external suite needs both its items file and its databases folder")
        if self.split not in ("train", "dev", "test"):
            raise ValueError(f"split must be train, dev or test, got {self.split!r}")
        if self.dialects is not None:
            self.dialects = tuple(dict.fromkeys(check_dialect(d) for d in self.dialects))
        if self.routing is not None and self.routing not in INFERENCE_ROUTINGS:
            raise ValueError(f"routing must be one of {', '.join(INFERENCE_ROUTINGS)}, got {self.routing!r}")
        for name in ("batch_size", "max_new_tokens"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if self.max_items is not None and self.max_items < 1:
            raise ValueError("max_items must be >= 1 or null")
        if self.prompt_tokens is not None and self.prompt_tokens < 32:
            raise ValueError("prompt_tokens must be >= 32")


@dataclasses.dataclass
class EvalResult:
    summary: dict[str, Any]
    scored: list[Any]
    routing: dict[str, Any] | None
    seconds: float
    generation_seconds: float

    @property
    def items_per_second(self) -> float:
        return len(self.scored) / self.generation_seconds if self.generation_seconds else 0.0


def sample_items(items: Sequence[BenchItem], per_dialect: int | None, seed: int) -> list[BenchItem]:
    """At most ``per_dialect`` items of each dialect, a seeded sample in file order."""
    if per_dialect is None:
        return list(items)
    by_dialect: dict[str, list[int]] = {}
    for k, it in enumerate(items):
        by_dialect.setdefault(it.dialect, []).append(k)
    rng = random.Random(seed)
    keep: set[int] = set()
    for idx in by_dialect.values():
        keep.update(idx if len(idx) <= per_dialect else rng.sample(idx, per_dialect))
    return [it for k, it in enumerate(items) if k in keep]


def training_budget(adapter: str | None, default: int = 640) -> int:
    """The prompt budget an adapter was trained with (its run folder's config), else ``default``."""
    if adapter is None:
        return default
    from momq.train.config import read_yaml_mapping
    from momq.train.trainer import CONFIG_FILE

    for folder in (Path(adapter), Path(adapter).parent):
        if (folder / CONFIG_FILE).is_file():
            return int(read_yaml_mapping(folder / CONFIG_FILE).get("prompt_tokens", default))
    return default


def load_model(config: EvalConfig):
    """(model, tokenizer) for ``config``: the base, with the adapter loaded when one is given."""
    from momq.adapter.model import load_adapter
    from momq.train.model import load_base, load_tokenizer, resolve_base

    source = resolve_base(config.base_model)
    base = load_base(source)
    model = load_adapter(base, config.adapter) if config.adapter else base
    return model, load_tokenizer(source)


def set_inference_routing(model: Any, routing: str | None) -> None:
    """Switch a MoMQ model's routing for inference (known by default); plain LoRA and bare bases are left as is."""
    from momq.adapter.model import MoMQModel

    if isinstance(model, MoMQModel) and model.momq_config.has_experts:
        model.set_routing(routing or "known")


def evaluate(config: EvalConfig, *, model_bundle: tuple | None = None,
             engines: Mapping[str, Engine] | None = None, items: Sequence[BenchItem] | None = None,
             progress: bool = True) -> EvalResult:
    """Generate and score; ``model_bundle`` = (model, tokenizer) skips loading (training's dev evaluation)."""
    import torch

    from momq.adapter.model import MoMQModel
    from momq.adapter.stats import RoutingStats
    from momq.bench.dataset import open_build, open_suite
    from momq.dialects.prompt import TokenBudget, hf_token_counter
    from momq.evaluate.metrics import summarize
    from momq.evaluate.score import score_predictions
    from momq.infer.generate import GenerationRequest, Generator, GeneratorConfig

    t0 = time.monotonic()
    if config.threads:
        torch.set_num_threads(config.threads)
    own_engines = engines is None
    if config.suite is not None:
        if own_engines:  # a suite's SQL dumps are loaded first: its prompts show the loaded schemas
            from momq.engines.manager import dialect_engines

            engines = dialect_engines()
        build = open_suite(config.suite, config.suite_databases, config.suite_sql_dialect, engines=engines)
        where = f"suite {config.suite}"
    else:
        build = open_build(config.build)
        where = f"{config.build}: {config.split} split"
    if items is None:
        items = (build.items(dialects=config.dialects) if config.suite is not None
                 else build.items(config.split, dialects=config.dialects))
        items = sample_items(items, config.max_items, config.seed)
    if not items:
        raise ValueError(f"{where}: no items to evaluate")
    model, tokenizer = model_bundle if model_bundle is not None else load_model(config)
    momq = isinstance(model, MoMQModel)
    previous_routing = model.momq_config.routing if momq else None
    set_inference_routing(model, config.routing)
    budget_tokens = config.prompt_tokens or training_budget(config.adapter)
    budget = TokenBudget(budget_tokens, hf_token_counter(tokenizer))
    requests = [GenerationRequest.from_parts(build.prompt(it, budget), it.dialect,
                                             build.database(it.db_id, it.dialect) if config.constrained else None)
                for it in items]
    stats = RoutingStats(model.momq_config) if momq and model.momq_config.has_experts else None
    generator = Generator(model, tokenizer, GeneratorConfig(max_new_tokens=config.max_new_tokens,
                                                            batch_size=config.batch_size,
                                                            constrain=config.constrained))
    from tqdm import tqdm

    tg = time.monotonic()
    with tqdm(total=len(requests), desc="generate", unit="item", disable=not progress, leave=False) as bar:
        try:
            generations = generator.generate(requests, stats=stats, progress=bar.update)
        finally:
            if previous_routing is not None and model.momq_config.has_experts:
                model.set_routing(previous_routing)
    generation_seconds = time.monotonic() - tg
    if engines is None:
        from momq.engines.manager import dialect_engines

        engines = dialect_engines()
    try:
        needed = {it.dialect for it in items}
        build.load_into({d: e for d, e in engines.items() if d in needed}, {it.db_id for it in items})
        scored = score_predictions(items, [g.text for g in generations], engines,
                                   ExecutionLimits(timeout_s=config.timeout_s, max_rows=config.max_rows),
                                   extra_columns=config.extra_columns)
    finally:
        if own_engines:
            for engine in engines.values():
                engine.close()
    for s, g in zip(scored, generations):
        s.generation_seconds, s.new_tokens = round(g.seconds, 3), g.new_tokens
    routing = stats.to_dict() if stats is not None else None
    router = routing.get("layer_mean_router_accuracy") if routing else None
    summary = summarize(scored, router_accuracy=router)
    summary["inference"] = {"routing": (config.routing or "known") if momq else None, "prompt_tokens": budget_tokens,
                            "constrained": config.constrained,
                            "items_per_second": round(len(items) / generation_seconds, 3)
                            if generation_seconds else None, "generation_seconds": round(generation_seconds, 1)}
    result = EvalResult(summary, scored, routing, time.monotonic() - t0, generation_seconds)
    if config.out_dir:
        write_outputs(Path(config.out_dir), config, result)
    return result


def write_outputs(out: Path, config: EvalConfig, result: EvalResult) -> None:
    from momq.evaluate.report import write_report
    from momq.evaluate.score import write_scored

    out.mkdir(parents=True, exist_ok=True)
    write_scored(out / PREDICTIONS_FILE, result.scored)
    (out / METRICS_FILE).write_text(json.dumps({"config": dataclasses.asdict(config), **result.summary},
                                               indent=2, default=str) + "\n", encoding="utf-8")
    if result.routing is not None:
        (out / ROUTING_FILE).write_text(json.dumps(result.routing, indent=2) + "\n", encoding="utf-8")
    write_report(out, {config.name: result.summary},
                 routing={config.name: result.routing} if result.routing else None,
                 title=f"momq eval: {config.name} on {config.split} of {config.build}")


__all__ = ["EvalConfig", "EvalResult", "INFERENCE_ROUTINGS", "evaluate", "load_model", "sample_items",
           "set_inference_routing", "training_budget"]
