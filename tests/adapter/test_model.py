"""MoMQModel on tiny Qwen2 and Llama bases: dispatch parity, gradients, routing, persistence, merge, generate."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from momq.adapter.config import Dispatch, Routing
from momq.adapter.layer import LoRALinear, MoELoRALinear
from momq.adapter.model import MoMQModel, UnsupportedModelError, load_adapter
from momq.dialects.base import UnknownDialectError

from .conftest import FAMILIES, perturb, tiny_base, tiny_config, tiny_model, toy_batch

EXPERT_ROUTINGS = ("soft", "hard", "known", "none")
ALL_ROUTINGS = (*EXPERT_ROUTINGS, "lora")
IDS = [0, 2, 1]


def _run(model, ids, mask, labels, dialect_ids=IDS):
    model.zero_grad(set_to_none=True)
    out = model(input_ids=ids, attention_mask=mask, labels=labels, dialect_ids=dialect_ids)
    out.loss.backward()
    grads = {n: p.grad.clone() for n, p in model.trainable_state_dict().items()}
    return out, grads


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("routing", EXPERT_ROUTINGS)
@pytest.mark.parametrize("renormalize", [False, True])
def test_vectorized_equals_reference(family, routing, renormalize):
    model = tiny_model(family, routing=routing, renormalize=renormalize, balance_scope="group")
    perturb(model)
    ids, mask, labels = toy_batch()
    fast, fast_grads = _run(model, ids, mask, labels)
    model.set_dispatch(Dispatch.REFERENCE)
    assert all(m.dispatch is Dispatch.REFERENCE for m in model.moe_layers())
    slow, slow_grads = _run(model, ids, mask, labels)
    for a, b in zip(fast.routing, slow.routing):
        assert torch.equal(a.topk_idx, b.topk_idx)
    torch.testing.assert_close(fast.logits, slow.logits, atol=1e-5, rtol=1e-5)
    for name in ("loss", "lm_loss", "balance_loss"):
        torch.testing.assert_close(getattr(fast, name), getattr(slow, name), atol=1e-5, rtol=1e-5)
    if routing != "none":
        torch.testing.assert_close(fast.drl_loss, slow.drl_loss)
    assert fast_grads.keys() == slow_grads.keys()
    for name in fast_grads:
        torch.testing.assert_close(fast_grads[name], slow_grads[name], atol=1e-5, rtol=1e-4, msg=name)


def test_vectorized_equals_reference_with_dropout_in_training_mode():
    model = tiny_model("qwen2", dropout=0.3)
    perturb(model)
    model.train()
    ids, mask, labels = toy_batch()
    torch.manual_seed(5)
    fast, _ = _run(model, ids, mask, labels)
    model.set_dispatch("reference")
    torch.manual_seed(5)  # the same dropout masks: one dropout call per layer on the same input shape
    slow, _ = _run(model, ids, mask, labels)
    torch.testing.assert_close(fast.logits, slow.logits, atol=1e-5, rtol=1e-5)


def _is_norm(module: nn.Module) -> bool:
    from transformers.models.llama.modeling_llama import LlamaRMSNorm
    from transformers.models.qwen2.modeling_qwen2 import Qwen2RMSNorm

    return isinstance(module, (LlamaRMSNorm, Qwen2RMSNorm))


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("routing", ALL_ROUTINGS)
@pytest.mark.parametrize("train_norms", [True, False])
def test_only_adapter_and_norms_get_gradients(family, routing, train_norms):
    model = tiny_model(family, routing=routing, train_norms=train_norms)
    perturb(model)
    ids, mask, labels = toy_batch()
    _run(model, ids, mask, labels)
    expected = set()
    for mname, module in model.base.named_modules():
        if isinstance(module, (LoRALinear, MoELoRALinear)):
            expected |= {f"{mname}.{n}" for n, _ in module.named_parameters() if not n.startswith("base.")}
        if train_norms and _is_norm(module):
            expected |= {f"{mname}.{n}" for n, _ in module.named_parameters()}
    with_grad = {n for n, p in model.base.named_parameters() if p.grad is not None}
    assert with_grad == expected
    assert all(model.base.get_parameter(n).grad.abs().sum() > 0 for n in expected)
    n_moe = sum(isinstance(m, MoELoRALinear) for m in model.base.modules())
    assert n_moe == (0 if routing == "lora" else 2)
    assert sum(isinstance(m, LoRALinear) for m in model.base.modules()) == 2 * (6 if routing != "lora" else 7)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("routing", ALL_ROUTINGS)
def test_identity_at_init(family, routing):
    base = tiny_base(family)
    reference = copy.deepcopy(base)
    model = MoMQModel(base, tiny_config(routing=routing, shared_experts=1)).eval()
    ids, mask, _ = toy_batch()
    with torch.no_grad():
        ours = model(input_ids=ids, attention_mask=mask, dialect_ids=IDS).logits
        theirs = reference(input_ids=ids, attention_mask=mask).logits
    torch.testing.assert_close(ours, theirs)


@pytest.mark.parametrize("family", FAMILIES)
def test_known_routing_never_leaves_the_group(family):
    model = tiny_model(family, routing="known")
    perturb(model)
    ids, mask, labels = toy_batch()
    e_g = model.momq_config.experts_per_dialect
    out = model(input_ids=ids, attention_mask=mask, dialect_ids=["mysql", "cypher", "postgresql"])
    records = []
    model.generate(input_ids=ids, attention_mask=mask, dialect_ids=[0, 2, 1], records=records,
                   max_new_tokens=4, do_sample=False, pad_token_id=0)
    assert len(records) == 2 * 4  # two layers x (prefill + 3 decoding steps)
    for rec in [*out.routing, *records]:
        groups = rec.topk_idx // e_g
        assert torch.equal(groups, torch.tensor([0, 2, 1])[:, None, None].expand_as(groups))
    # soft routing on the same weights does leave the group for some tokens (the restriction is real)
    model.momq_config.routing = Routing.SOFT
    for m in model.moe_layers():
        m.routing = Routing.SOFT
    soft = model(input_ids=ids, attention_mask=mask, dialect_ids=[0, 2, 1])
    assert any((rec.topk_idx // e_g != torch.tensor([0, 2, 1])[:, None, None]).any() for rec in soft.routing)


@pytest.mark.parametrize("family", FAMILIES)
def test_hard_routing_picks_one_group_per_sequence_from_the_dialect_router(family):
    model = tiny_model(family, routing="hard")
    perturb(model, scale=0.5)
    ids, mask, labels = toy_batch()
    out = model(input_ids=ids, attention_mask=mask)
    e_g = model.momq_config.experts_per_dialect
    for rec in out.routing:
        m = mask.bool()
        pooled = torch.stack([rec.dialect_logits[b][m[b]].mean(0) for b in range(3)])
        groups = rec.topk_idx // e_g
        assert torch.equal(groups, pooled.argmax(-1)[:, None, None].expand_as(groups))


@pytest.mark.parametrize("family", FAMILIES)
def test_drl_ignores_padding_content(family):
    model = tiny_model(family)
    perturb(model)
    ids, mask, labels = toy_batch()
    other = ids.clone()
    other[mask == 0] = 77
    with torch.no_grad():
        a = model(input_ids=ids, attention_mask=mask, labels=labels, dialect_ids=IDS)
        b = model(input_ids=other, attention_mask=mask, labels=labels, dialect_ids=IDS)
    assert not torch.allclose(a.routing[0].dialect_logits, b.routing[0].dialect_logits)  # padding did change
    torch.testing.assert_close(a.drl_loss, b.drl_loss)
    torch.testing.assert_close(a.balance_loss, b.balance_loss)
    cfg = model.momq_config
    torch.testing.assert_close(a.loss, a.lm_loss + cfg.drl_coef * a.drl_loss + cfg.balance_coef * a.balance_loss)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("routing", ALL_ROUTINGS)
def test_save_load_round_trip(tmp_path, family, routing):
    model = tiny_model(family, routing=routing)
    perturb(model)
    ids, mask, _ = toy_batch()
    with torch.no_grad():
        before = model(input_ids=ids, attention_mask=mask, dialect_ids=IDS).logits
    model.save_adapter(tmp_path / "ad")
    fresh = load_adapter(tiny_base(family), tmp_path / "ad").eval()
    assert fresh.momq_config == model.momq_config
    with torch.no_grad():
        after = fresh(input_ids=ids, attention_mask=mask, dialect_ids=IDS).logits
    assert torch.equal(before, after)


def test_load_rejects_an_adapter_that_does_not_fit(tmp_path):
    MoMQModel(tiny_base("qwen2"), tiny_config(lora_targets=("q_proj",))).save_adapter(tmp_path / "small")
    MoMQModel(tiny_base("qwen2"), tiny_config()).save_adapter(tmp_path / "full")
    # weights of a q_proj-only adapter under the config of a full one: names are missing
    (tmp_path / "full" / "adapter.safetensors").write_bytes((tmp_path / "small" / "adapter.safetensors").read_bytes())
    with pytest.raises(ValueError, match="does not fit.*missing"):
        load_adapter(tiny_base("qwen2"), tmp_path / "full")


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("routing", ["soft", "known", "lora"])
def test_merge_equivalence(family, routing):
    model = tiny_model(family, routing=routing)
    perturb(model)
    ids, mask, _ = toy_batch()
    weights = {n: p.clone() for n, p in model.base.named_parameters()}
    with torch.no_grad():
        before = model(input_ids=ids, attention_mask=mask, dialect_ids=IDS).logits
        model.merge()
        assert model.merged
        changed = [n for n, p in model.base.named_parameters() if not torch.equal(p, weights[n])]
        merged = model(input_ids=ids, attention_mask=mask, dialect_ids=IDS).logits
        model.unmerge()
        after = model(input_ids=ids, attention_mask=mask, dialect_ids=IDS).logits
    assert changed and all(n.endswith("base.weight") for n in changed)
    expected_changed = 2 * (6 + 1)  # six plain LoRAs and down_proj (its LoRA or its shared experts) per layer
    assert len(changed) == expected_changed
    torch.testing.assert_close(merged, before, atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(after, before, atol=1e-5, rtol=1e-4)
    with pytest.raises(RuntimeError, match="unmerge"):
        model.merge()
        model.save_adapter("/nonexistent/never-written")


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("routing", ["soft", "known", "none", "lora"])
def test_generate_with_kv_cache_equals_greedy_without_cache(family, routing):
    model = tiny_model(family, routing=routing)
    perturb(model, scale=0.5)
    ids, mask, _ = toy_batch()
    names = ["postgresql", "mysql", "cypher"]
    out = model.generate(input_ids=ids, attention_mask=mask, dialect_ids=names, max_new_tokens=6,
                         do_sample=False, pad_token_id=0)
    seq, am = ids, mask
    with torch.no_grad():
        for _ in range(6):
            logits = model(input_ids=seq, attention_mask=am, dialect_ids=names, use_cache=False).logits
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            seq, am = torch.cat([seq, nxt], 1), torch.cat([am, torch.ones_like(nxt)], 1)
    assert torch.equal(out, seq)
    if routing == "known":  # dialect ids matter: other ids give other experts and (here) other tokens
        other = model.generate(input_ids=ids, attention_mask=mask, dialect_ids=["cypher"] * 3, max_new_tokens=6,
                               do_sample=False, pad_token_id=0)
        assert not torch.equal(other, out)


@pytest.mark.parametrize("family", FAMILIES)
def test_hard_routing_keeps_the_prefill_group_while_decoding(family):
    model = tiny_model(family, routing="hard")
    perturb(model, scale=0.5)
    ids, mask, _ = toy_batch()
    records = []
    model.generate(input_ids=ids, attention_mask=mask, records=records, max_new_tokens=4, do_sample=False,
                   pad_token_id=0)
    e_g = model.momq_config.experts_per_dialect
    prefill = records[:2]
    for step in range(1, 4):
        for layer in range(2):
            group = prefill[layer].topk_idx[:, :1, :1] // e_g
            assert torch.equal(records[2 * step + layer].topk_idx // e_g, group.expand(-1, 1, 2))


def test_clear_errors(family):
    model = tiny_model(family, routing="known")
    ids, mask, _ = toy_batch()
    with pytest.raises(UnknownDialectError, match="sparql"):
        model(input_ids=ids, attention_mask=mask, dialect_ids=["mysql", "sparql", "cypher"])
    with pytest.raises(ValueError, match="2 dialect ids for a batch of 3"):
        model(input_ids=ids, attention_mask=mask, dialect_ids=["mysql", "cypher"])
    with pytest.raises(ValueError, match="2 dialect ids for a batch of 3"):
        model.generate(input_ids=ids, attention_mask=mask, dialect_ids=[0, 1], max_new_tokens=2)
    with pytest.raises(ValueError, match="int in"):
        model(input_ids=ids, attention_mask=mask, dialect_ids=[0, 1, 7])
    with pytest.raises(ValueError, match="must be in"):
        model(input_ids=ids, attention_mask=mask, dialect_ids=torch.tensor([0, 1, -1]))
    with pytest.raises(ValueError, match="needs dialect_ids"):
        model(input_ids=ids, attention_mask=mask)
    # one name applies to the whole batch
    assert model(input_ids=ids, attention_mask=mask, dialect_ids="cypher").logits.shape[0] == 3


def test_unsupported_model_family():
    from transformers import GPT2Config, GPT2LMHeadModel

    gpt2 = GPT2LMHeadModel(GPT2Config(n_embd=32, n_layer=1, n_head=2, vocab_size=64, n_positions=32))
    with pytest.raises(UnsupportedModelError, match="'gpt2'.*llama, qwen2"):
        MoMQModel(gpt2, tiny_config())


def test_missing_target_module_is_reported():
    with pytest.raises(ValueError, match="not found.*w_q"):
        MoMQModel(tiny_base("llama"), tiny_config(lora_targets=("q_proj", "w_q")))
