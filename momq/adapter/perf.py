"""Speed and memory of the adapter: plain LoRA vs MoMQ (vectorised) vs MoMQ (reference loop), in one run.

Builds one small randomly initialised Qwen2 base per variant (same seed, so the same weights), then times
forward + backward training steps (warm-up, then the median of N), with the variants interleaved step by
step so that a change in machine load hits all of them alike. Peak memory is the peak resident set size
(VmHWM in /proc/self/status) of a fresh child process that builds one variant and runs two steps, also
given minus that process's RSS just before its first step. Memory is measured first, before the parent builds
its models. It also times one-token decode steps with the KV cache (inference, no gradients), interleaved the
same way: that is where a loop over experts costs most, since each expert's share of one token is tiny. What is
not here: any timed assertion (this is a benchmark, not a test), GPU timing.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import platform
import statistics
import time

BASE_SHAPE = {
    "hidden_size": 512,
    "intermediate_size": 1536,
    "num_hidden_layers": 8,
    "num_attention_heads": 8,
    "num_key_value_heads": 2,
    "vocab_size": 8192,
    "max_position_embeddings": 512,
}


@dataclasses.dataclass(frozen=True)
class Variant:
    name: str
    routing: str  # "lora" or "soft"
    dispatch: str  # "vectorized" or "reference"
    experts_per_dialect: int


@dataclasses.dataclass(frozen=True)
class PerfSettings:
    steps: int = 5
    warmup: int = 2
    batch: int = 4
    seq_len: int = 128
    threads: int = 2
    r: int = 8
    top_k: int = 2
    shared: int = 1
    dialects: int = 4
    dropout: float = 0.05
    decode_steps: int = 20
    expert_counts: tuple[int, ...] = (4, 6)
    seed: int = 0


def variants(settings: PerfSettings) -> list[Variant]:
    out = [Variant("lora", "lora", "vectorized", 1)]
    for eg in settings.expert_counts:
        out.append(Variant(f"momq_vectorized_Eg{eg}", "soft", "vectorized", eg))
        out.append(Variant(f"momq_reference_Eg{eg}", "soft", "reference", eg))
    return out


def _build(variant: Variant, s: PerfSettings, base_shape: dict | None = None):
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from momq.adapter.config import MoMQConfig
    from momq.adapter.model import MoMQModel

    torch.manual_seed(s.seed)
    shape = base_shape or BASE_SHAPE
    base = Qwen2ForCausalLM(Qwen2Config(**shape))
    names = tuple(f"d{i}" for i in range(s.dialects))
    cfg = MoMQConfig(
        dialects=names, r=s.r, alpha=2.0 * s.r, dropout=s.dropout, experts_per_dialect=variant.experts_per_dialect,
        shared_experts=s.shared, top_k=s.top_k, routing=variant.routing, dispatch=variant.dispatch,
    )
    model = MoMQModel(base, cfg)
    model.train()
    g = torch.Generator().manual_seed(s.seed + 1)
    ids = torch.randint(0, shape["vocab_size"], (s.batch, s.seq_len), generator=g)
    mask = torch.ones_like(ids)
    labels = ids.clone()
    labels[:, : s.seq_len // 2] = -100  # prompt half masked, as in training
    dialect_ids = torch.randint(0, s.dialects, (s.batch,), generator=g)
    batch = {"input_ids": ids, "attention_mask": mask, "labels": labels, "dialect_ids": dialect_ids}
    return model, batch


def _step(model, batch) -> None:
    out = model(**batch)
    out.loss.backward()
    for p in model.parameters():
        p.grad = None


def _prefill(model, batch):
    """Put the model in inference mode and fill a KV cache with the batch's prompt; returns the cache."""
    import torch

    model.eval()
    with torch.no_grad():
        out = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                    dialect_ids=batch["dialect_ids"], use_cache=True)
    return out.cache


def _decode_step(model, batch, cache) -> None:
    """One new token per sequence on top of ``cache`` (which grows by one position)."""
    import torch

    ids = batch["input_ids"]
    mask = torch.ones(ids.shape[0], cache.get_seq_length() + 1, dtype=ids.dtype)
    with torch.no_grad():
        model(input_ids=ids[:, -1:], attention_mask=mask, cache=cache,
              dialect_ids=batch["dialect_ids"], use_cache=True)


def _status_bytes(field: str) -> int:
    """A memory field of /proc/self/status (VmRSS: now; VmHWM: peak of this process image), in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024  # reported in kB
    raise RuntimeError(f"{field} not in /proc/self/status")


def _memory_child(variant: Variant, s: PerfSettings, queue, base_shape: dict | None = None) -> None:
    import torch

    torch.set_num_threads(s.threads)
    model, batch = _build(variant, s, base_shape)
    before = _status_bytes("VmRSS")
    for _ in range(2):
        _step(model, batch)
    # VmHWM, not getrusage's ru_maxrss: ru_maxrss survives exec, so a spawned child would report its parent's peak
    peak = _status_bytes("VmHWM")
    queue.put({"peak_rss_mib": peak / 2**20, "step_peak_over_start_mib": max(0, peak - before) / 2**20})


def measure_memory(variant: Variant, s: PerfSettings, base_shape: dict | None = None) -> dict:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_memory_child, args=(variant, s, queue, base_shape))
    proc.start()
    result = queue.get(timeout=600)
    proc.join()
    return result


def run(settings: PerfSettings = PerfSettings(), memory: bool = True, base_shape: dict | None = None) -> dict:
    """Time every variant (interleaved), then measure each one's peak memory; returns a JSON-able dict."""
    import torch

    torch.set_num_threads(settings.threads)
    vs = variants(settings)
    shape = base_shape or BASE_SHAPE
    mem = {v.name: measure_memory(v, settings, shape) for v in vs} if memory else {}
    built = {v.name: _build(v, settings, shape) for v in vs}
    times: dict[str, list[float]] = {v.name: [] for v in vs}
    for i in range(settings.warmup + settings.steps):
        for v in vs:
            model, batch = built[v.name]
            t0 = time.perf_counter()
            _step(model, batch)
            if i >= settings.warmup:
                times[v.name].append(time.perf_counter() - t0)
    caches = {v.name: _prefill(*built[v.name]) for v in vs}
    decode: dict[str, list[float]] = {v.name: [] for v in vs}
    for i in range(settings.warmup + settings.decode_steps):
        for v in vs:
            model, batch = built[v.name]
            t0 = time.perf_counter()
            _decode_step(model, batch, caches[v.name])
            if i >= settings.warmup:
                decode[v.name].append(time.perf_counter() - t0)
    result = {
        "settings": dataclasses.asdict(settings),
        "base": shape,
        "machine": {"torch": torch.__version__, "threads": torch.get_num_threads(), "cpu": platform.processor()
                    or platform.machine()},
        "memory_method": "CPU peak RSS (VmHWM) of a fresh spawned process per variant running 2 steps; and that "
                         "peak minus the RSS before its first step (activations + gradients + allocator growth)",
        "variants": {},
        "ratios": {},
    }
    for v in vs:
        entry = {"median_step_s": statistics.median(times[v.name]), "min_step_s": min(times[v.name]),
                 "steps_s": times[v.name], "median_decode_step_s": statistics.median(decode[v.name]),
                 "routing": v.routing, "dispatch": v.dispatch,
                 "num_experts": 0 if v.routing == "lora" else v.experts_per_dialect * settings.dialects}
        entry.update(mem.get(v.name, {}))
        result["variants"][v.name] = entry
    a = result["variants"]["lora"]["median_step_s"]
    for eg in settings.expert_counts:
        b = result["variants"][f"momq_vectorized_Eg{eg}"]["median_step_s"]
        c = result["variants"][f"momq_reference_Eg{eg}"]["median_step_s"]
        bm = result["variants"][f"momq_vectorized_Eg{eg}"]["min_step_s"]
        cm = result["variants"][f"momq_reference_Eg{eg}"]["min_step_s"]
        am = result["variants"]["lora"]["min_step_s"]
        da, db, dc = (result["variants"][n]["median_decode_step_s"]
                      for n in ("lora", f"momq_vectorized_Eg{eg}", f"momq_reference_Eg{eg}"))
        result["ratios"][f"E={eg * settings.dialects}"] = {
            "b_over_a": b / a, "c_over_b": c / b, "b_over_a_min": bm / am, "c_over_b_min": cm / bm,
            "decode_b_over_a": db / da, "decode_c_over_b": dc / db}
    return result
