"""A few optimisation steps on toy two-dialect data: the dialect router learns; routing statistics record it."""

from __future__ import annotations

import json

import pytest
import torch

from momq.adapter.stats import RoutingStats

from .conftest import FAMILIES, VOCAB, tiny_model


def _two_dialect_batch(seed: int, batch: int = 8, length: int = 12):
    """Dialect 0 speaks the low half of the vocabulary, dialect 1 the high half; some rows are left-padded."""
    g = torch.Generator().manual_seed(seed)
    dialects = torch.arange(batch) % 2
    low = torch.randint(1, VOCAB // 2, (batch, length), generator=g)
    ids = torch.where(dialects[:, None] == 0, low, low + VOCAB // 2 - 1)
    mask = torch.ones_like(ids)
    mask[::3, :4] = 0
    ids[mask == 0] = 0
    labels = ids.masked_fill(mask == 0, -100)
    return ids, mask, labels, dialects


def _evaluate(model, seed: int):
    ids, mask, labels, dialects = _two_dialect_batch(seed)
    stats = RoutingStats(model.momq_config)
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, labels=labels, dialect_ids=dialects)
    stats.update(out.routing, dialects, mask)
    return float(out.drl_loss), stats


@pytest.mark.parametrize("family", FAMILIES)
def test_training_drives_drl_down_and_the_router_to_the_right_group(family):
    torch.manual_seed(0)
    model = tiny_model(family, dialects=("mysql", "cypher"), experts_per_dialect=2, drl_coef=1.0, dropout=0.05)
    drl_before, stats_before = _evaluate(model, seed=100)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-2)
    model.train()
    for step in range(40):
        ids, mask, labels, dialects = _two_dialect_batch(seed=step)
        out = model(input_ids=ids, attention_mask=mask, labels=labels, dialect_ids=dialects)
        opt.zero_grad()
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
    model.eval()
    drl_after, stats_after = _evaluate(model, seed=100)
    assert drl_after < 0.3 * drl_before
    # DRL trains the dialect logits averaged over layers; that average now names the right dialect
    before, after = stats_before.combined_accuracy(), stats_after.combined_accuracy()
    assert after["sequence"] == 1.0, (before, after)
    assert after["token"] > 0.9 and after["token"] > before["token"] + 0.3, (before, after)
    # and the per-layer routers moved towards the right dialect on average
    assert sum(stats_after.router_accuracy()) > sum(stats_before.router_accuracy()) + 0.1


def test_routing_statistics_count_real_tokens_per_dialect_and_expert():
    model = tiny_model("qwen2", dialects=("mysql", "cypher"), experts_per_dialect=2, routing="known")
    ids, mask, labels, dialects = _two_dialect_batch(seed=1)
    stats = RoutingStats(model.momq_config)
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, dialect_ids=dialects)
    stats.update(out.routing, dialects, mask)
    stats.update(out.routing, dialects, mask)  # accumulates
    data = json.loads(stats.to_json())
    assert data["dialects"] == ["mysql", "cypher"] and len(data["layers"]) == 2
    k = model.momq_config.top_k
    for layer in data["layers"]:
        for d, name in enumerate(("mysql", "cypher")):
            counts = layer["expert_tokens"][name]
            real_tokens = int(mask[dialects == d].sum())
            assert sum(counts) == 2 * k * real_tokens
            # known routing: every token of dialect d went to d's group (experts 2d, 2d + 1)
            assert sum(counts[2 * d : 2 * d + 2]) == sum(counts)
            acc = layer["router_accuracy"][name]
            assert acc is not None and 0.0 <= acc <= 1.0
