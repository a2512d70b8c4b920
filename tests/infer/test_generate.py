"""Generator on tiny random Qwen2 / Llama models (fp32, CPU): prefix reuse, batching and order change no token,
per-sequence fence stops, MoMQ routing (known, soft, hard), routing statistics, and the prompt encoding."""

from __future__ import annotations

import pytest
import torch

from momq.adapter.stats import RoutingStats
from momq.dialects.prompt import PromptParts
from momq.infer.generate import (
    FenceStop,
    GenerationRequest,
    Generator,
    GeneratorConfig,
    batch_cache,
    encode_prompt,
    fence_closed,
)

from .conftest import FAMILIES, mixed_requests, tiny_base, tiny_momq, tiny_tokenizer

KINDS = ("plain", "known", "soft")
MAX_NEW = 10
#: Smallest gap between the two best logits that the reference run may show; float noise between batch shapes
#: is ~1e-6 here, so 100x above it an argmax cannot flip and "equal token ids" is a fair demand.
MIN_MARGIN = 1e-4


def _model(family: str, kind: str):
    return tiny_base(family) if kind == "plain" else tiny_momq(family, kind)


def _reference(model, requests, **config):
    """Plain ``generate`` on each full prompt ids(prefix) + ids(suffix), one at a time, with our stops."""
    gen = Generator(model, tiny_tokenizer(), GeneratorConfig(max_new_tokens=MAX_NEW, **config))
    results, margin = [], float("inf")
    for r in requests:
        prefix, suffix = gen.encode(r)
        ids = torch.tensor([prefix + suffix])
        kwargs, stop = gen.generate_kwargs(ids.shape[1])
        out = gen.run_generate(ids, torch.ones_like(ids), [r.dialect], output_scores=True,
                               return_dict_in_generate=True, **kwargs)
        for scores in out.scores:
            top2 = scores[0].topk(2).values
            margin = min(margin, float(top2[0] - top2[1]))
        results.append(gen.finish(out.sequences[0, ids.shape[1] :].tolist(), stop, 0, 0.0))
    return results, margin


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("family", FAMILIES)
def test_reuse_batching_and_order_change_no_token(family, kind):
    model = _model(family, kind)
    tok = tiny_tokenizer()
    requests = mixed_requests()
    reference, margin = _reference(model, requests)
    assert margin > MIN_MARGIN, f"seeded model has near-tied logits ({margin:.2e}); choose another seed"
    gen = Generator(model, tok, GeneratorConfig(max_new_tokens=MAX_NEW))
    assert gen.prefix_reuse
    order = [i for b in gen.plan([gen.encode(r) for r in requests], requests) for i in b]
    assert order != list(range(len(requests)))  # the batches really reorder, so input order is under test
    runs = {
        "reuse, batch 8": gen.generate(requests),
        "no reuse, batch 8": Generator(model, tok, GeneratorConfig(MAX_NEW, prefix_reuse=False)).generate(requests),
        "reuse, batch 1": Generator(model, tok, GeneratorConfig(MAX_NEW, batch_size=1)).generate(requests),
        "reuse, batch 3": Generator(model, tok, GeneratorConfig(MAX_NEW, batch_size=3)).generate(requests),
    }
    for name, results in runs.items():
        assert len(results) == len(requests)
        for i, (got, want) in enumerate(zip(results, reference)):
            assert got.token_ids == want.token_ids, f"{name}: request {i}"
            assert (got.text, got.reason, got.new_tokens) == (want.text, want.reason, want.new_tokens)
            assert got.new_tokens == len(got.token_ids) and got.seconds > 0


def test_prefix_is_computed_once_per_prefix_and_dialect():
    model = tiny_momq("llama", "known")
    tok = tiny_tokenizer()
    requests = mixed_requests()
    seen: list[tuple[int, int]] = []
    hook = model.base.register_forward_pre_hook(
        lambda m, a, kw: seen.append(tuple(kw["input_ids"].shape)), with_kwargs=True)
    try:
        gen = Generator(model, tok, GeneratorConfig(max_new_tokens=2, batch_size=8))
        gen.generate(requests)
    finally:
        hook.remove()
    encoded = [gen.encode(r) for r in requests]
    keys = {(tuple(p), r.dialect) for (p, _), r in zip(encoded, requests)}
    prefix_calls = [s for s in seen if s[0] == 1 and s[1] > 1]
    assert sorted(n for _, n in prefix_calls) == sorted(len(k[0]) for k in keys)
    # the batch prefill runs over the suffixes only
    longest_suffix = max(len(s) for _, s in encoded)
    assert (len(requests), longest_suffix) in seen


def test_batch_cache_copies_and_left_pads():
    from transformers import DynamicCache

    a = DynamicCache(ddp_cache_data=[(torch.randn(1, 2, 3, 4), torch.randn(1, 2, 3, 4))])
    b = DynamicCache(ddp_cache_data=[(torch.randn(1, 2, 5, 4), torch.randn(1, 2, 5, 4))])
    before = [t.clone() for t in (a.layers[0].keys, a.layers[0].values, b.layers[0].keys)]
    cache = batch_cache([a, b, a], 5)
    keys = cache.layers[0].keys
    assert keys.shape == (3, 2, 5, 4)
    assert torch.equal(keys[0, :, 2:], a.layers[0].keys[0]) and not keys[0, :, :2].any()
    assert torch.equal(keys[1], b.layers[0].keys[0])
    cache.layers[0].keys.add_(1.0)  # writing into the batch cache leaves the prefixes untouched
    cache.update(torch.ones(3, 2, 1, 4), torch.ones(3, 2, 1, 4), 0)
    for t, was in zip((a.layers[0].keys, a.layers[0].values, b.layers[0].keys), before):
        assert torch.equal(t, was)
    assert a.get_seq_length() == 3


@pytest.mark.parametrize("text,closed", [
    ("SELECT 1\n```", True),
    ("SELECT 1\n```\nmore", True),
    ("SELECT 1\n``", False),
    ("SELECT 1", False),
    ("```sql\nSELECT 1\n", False),  # the answer opened its own block: wait for the second fence
    ("```sql\nSELECT 1\n```", True),
    ("  \n```", False),
])
def test_fence_closed(text, closed):
    assert fence_closed(text) is closed


def test_fence_stop_fires_on_the_token_that_closes_the_fence():
    tok = tiny_tokenizer()
    prompt = tok("### Question\nx\n```sql\n", add_special_tokens=False).input_ids
    answer = tok("SELECT name\n```\n", add_special_tokens=False).input_ids
    stop = FenceStop(tok, len(prompt))
    fired = []
    for n in range(1, len(answer) + 1):
        ids = torch.tensor([prompt + answer[:n], prompt + answer[:1] * n])  # row 1 never closes
        fired.append(stop(ids, None).tolist())
    closing = next(n for n in range(1, len(answer) + 1) if "```" in tok.decode(answer[:n]))
    assert [f[0] for f in fired] == [n >= closing for n in range(1, len(answer) + 1)]
    assert not any(f[1] for f in fired)
    assert stop.done_at == {0: closing}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_sequence_stops_at_its_own_fence(family):
    """Use a piece of one row's unstopped answer as the fence: that row stops on the token completing it, the
    others are unchanged, and the answer text ends with the fence."""
    model = tiny_momq(family, "known")
    tok = tiny_tokenizer()
    requests = mixed_requests()
    free = Generator(model, tok, GeneratorConfig(max_new_tokens=MAX_NEW, fence=None, stop_at_eos=False))
    unstopped = free.generate(requests)
    row = next(i for i, g in enumerate(unstopped) if len(g.text) >= 6 and g.text[:3].strip())
    fence = unstopped[row].text[3:5]
    gen = Generator(model, tok, GeneratorConfig(max_new_tokens=MAX_NEW, fence=fence, stop_at_eos=False))
    stopped = gen.generate(requests)
    for g, u in zip(stopped, unstopped):
        ids = list(u.token_ids)
        cut = next((n for n in range(1, len(ids) + 1) if fence_closed(tok.decode(ids[:n]), fence)), None)
        if cut is None:
            assert (g.token_ids, g.reason, g.stopped) == (u.token_ids, "length", False)
        else:
            assert (g.token_ids, g.reason, g.stopped) == (tuple(ids[:cut]), "fence", True)
            assert fence in g.text
    assert stopped[row].stopped and stopped[row].new_tokens < MAX_NEW


@pytest.mark.parametrize("routing", ["known", "soft"])
def test_routing_stats_do_not_depend_on_reuse_or_batching(routing):
    model = tiny_momq("qwen2", routing)
    tok = tiny_tokenizer()
    requests = mixed_requests()
    got = []
    for cfg in (GeneratorConfig(MAX_NEW), GeneratorConfig(MAX_NEW, prefix_reuse=False),
                GeneratorConfig(MAX_NEW, batch_size=1)):
        stats = RoutingStats(model.momq_config)
        Generator(model, tok, cfg).generate(requests, stats=stats)
        got.append(stats.to_dict())
    assert got[0] == got[1] == got[2]
    # every real token is counted: prompt tokens + fed new tokens (all but the last of each answer), k per layer
    encoded = [Generator(model, tok).encode(r) for r in requests]
    results = Generator(model, tok, GeneratorConfig(MAX_NEW)).generate(requests)
    tokens = sum(len(p) + len(s) + g.new_tokens - 1 for (p, s), g in zip(encoded, results))
    layer0 = got[0]["layers"][0]["expert_tokens"]
    assert sum(sum(v) for v in layer0.values()) == tokens * model.momq_config.top_k


def test_hard_routing_turns_prefix_reuse_off():
    model = tiny_momq("llama", "hard")
    tok = tiny_tokenizer()
    assert not Generator(model, tok).prefix_reuse
    with pytest.raises(ValueError, match="hard routing"):
        Generator(model, tok, GeneratorConfig(prefix_reuse=True))
    requests = mixed_requests()[:4]
    reference, _ = _reference(model, requests)
    assert [g.token_ids for g in Generator(model, tok, GeneratorConfig(MAX_NEW)).generate(requests)] == \
        [g.token_ids for g in reference]


def test_plain_model_ignores_dialects_and_rejects_stats():
    model = tiny_base("qwen2")
    tok = tiny_tokenizer()
    r = mixed_requests()[0]
    same = [GenerationRequest(r.prefix, r.suffix, d) for d in ("mysql", "cypher", "not-a-dialect")]
    out = Generator(model, tok, GeneratorConfig(max_new_tokens=4)).generate(same)
    assert out[0].token_ids == out[1].token_ids == out[2].token_ids
    with pytest.raises(ValueError, match="MoMQModel"):
        Generator(model, tok).generate(same, stats=object())


def test_encode_prompt_is_prefix_ids_plus_suffix_ids_with_explicit_bos():
    tok = tiny_tokenizer()
    parts = PromptParts("### Schema\nTable t (a INT)\n\n", "### Question\nHow many?\n```sql\n")
    prefix, suffix = encode_prompt(tok, parts)
    assert prefix == tok(parts.prefix, add_special_tokens=False).input_ids  # this tokenizer adds no BOS
    assert suffix == tok(parts.suffix, add_special_tokens=False).input_ids
    assert tok.decode(prefix + suffix) == parts.text
    with_bos, suffix2 = encode_prompt(tok, parts, bos=True)
    assert with_bos == [tok.bos_token_id, *prefix] and suffix2 == suffix
    assert tok.eos_token_id not in prefix + suffix
    with pytest.raises(ValueError, match="suffix is empty"):
        encode_prompt(tok, PromptParts("x", ""))


def test_empty_and_config_errors():
    tok = tiny_tokenizer()
    assert Generator(tiny_base("qwen2"), tok).generate([]) == []
    for bad in ({"max_new_tokens": 0}, {"batch_size": 0}, {"fence": ""}):
        with pytest.raises(ValueError):
            GeneratorConfig(**bad)


def test_eos_stops_only_when_asked():
    """Make the first greedy token the EOS token (in the tokenizer and in the model's own generation config):
    the default stops there, ``stop_at_eos=False`` ignores it even though the model's config names it."""
    import copy

    model = tiny_base("llama")
    tok = tiny_tokenizer()
    r = mixed_requests()[0]
    first = Generator(model, tok, GeneratorConfig(max_new_tokens=6, fence=None)).generate([r])[0]
    assert first.reason == "length"
    eos_tok = copy.deepcopy(tok)
    eos_tok.eos_token = tok.convert_ids_to_tokens(first.token_ids[0])
    model.generation_config.eos_token_id = eos_tok.eos_token_id
    stopped = Generator(model, eos_tok, GeneratorConfig(max_new_tokens=6, fence=None)).generate([r])[0]
    assert (stopped.reason, stopped.new_tokens, stopped.token_ids) == ("eos", 1, first.token_ids[:1])
    free = Generator(model, eos_tok, GeneratorConfig(max_new_tokens=6, fence=None, stop_at_eos=False))
    assert free.generate([r])[0].token_ids == first.token_ids


def test_empty_prefix_generates_like_the_whole_prompt():
    model = tiny_momq("qwen2", "known")
    tok = tiny_tokenizer()
    r = mixed_requests()[1]
    whole = GenerationRequest("", r.prefix + r.suffix, r.dialect)
    mixed = [whole, r, GenerationRequest("", r.suffix, r.dialect)]
    got = Generator(model, tok, GeneratorConfig(max_new_tokens=5)).generate(mixed)
    plain = Generator(model, tok, GeneratorConfig(max_new_tokens=5, prefix_reuse=False)).generate(mixed)
    assert [g.token_ids for g in got] == [g.token_ids for g in plain]
    if tok(r.prefix + r.suffix, add_special_tokens=False).input_ids == sum(encode_prompt(tok, r), []):
        assert got[0].token_ids == got[1].token_ids
