"""The losses against independent references: transformers' Mixtral balance loss, manual DRL and LM loss."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from transformers.models.mixtral.modeling_mixtral import load_balancing_loss_func

from momq.adapter.losses import balance_loss, dialect_router_loss, lm_loss


def _logits_and_mask(seed: int, layers=3, batch=2, length=7, experts=12):
    g = torch.Generator().manual_seed(seed)
    logits = [torch.randn(batch, length, experts, generator=g) * 2 for _ in range(layers)]
    mask = torch.ones(batch, length, dtype=torch.long)
    mask[0, :3] = 0
    mask[1, -1] = 0
    return logits, mask


@pytest.mark.parametrize("top_k", [1, 2, 3])
@pytest.mark.parametrize("masked", [False, True])
def test_global_balance_loss_equals_transformers(top_k, masked):
    logits, mask = _logits_and_mask(seed=top_k)
    mask = mask if masked else None
    ours = balance_loss(logits, top_k, mask)
    theirs = load_balancing_loss_func(tuple(l.reshape(-1, 12) for l in logits), 12, top_k, mask)
    torch.testing.assert_close(ours, theirs.float())


@pytest.mark.parametrize("group_size", [3, 4])
def test_in_group_balance_loss_equals_transformers_on_reshaped_logits(group_size):
    logits, mask = _logits_and_mask(seed=group_size)
    groups = 12 // group_size
    ours = balance_loss(logits, 2, mask, experts_per_group=group_size)
    # manual reshape: each token contributes one row per dialect group; the mask repeats per group
    reshaped = tuple(l.reshape(-1, group_size) for l in logits)
    expanded_mask = mask.repeat_interleave(groups, dim=1)
    theirs = load_balancing_loss_func(reshaped, group_size, 2, expanded_mask)
    torch.testing.assert_close(ours, theirs.float())
    assert not torch.allclose(ours, balance_loss(logits, 2, mask))


def test_balance_loss_ignores_padded_rows():
    logits, mask = _logits_and_mask(seed=7)
    changed = [l.clone() for l in logits]
    for l in changed:
        l[mask == 0] = 50.0 * torch.arange(12.0)
    torch.testing.assert_close(balance_loss(logits, 2, mask), balance_loss(changed, 2, mask))
    assert not torch.allclose(balance_loss(logits, 2, None), balance_loss(changed, 2, None))


def test_drl_matches_manual_formula_and_ignores_padding():
    g = torch.Generator().manual_seed(3)
    layers = [torch.randn(2, 5, 4, generator=g) for _ in range(3)]
    mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    ids = torch.tensor([2, 1])
    mean = torch.stack(layers).mean(0)
    pooled = torch.stack([mean[0, 2:].mean(0), mean[1].mean(0)])
    eps = 0.1
    target = (1 - eps) * F.one_hot(ids, 4).float() + eps / 4
    manual = -(target * pooled.log_softmax(-1)).sum(-1).mean()
    torch.testing.assert_close(dialect_router_loss(layers, ids, mask, label_smoothing=eps), manual)
    changed = [l.clone() for l in layers]
    for l in changed:
        l[0, :2] = 100.0
    torch.testing.assert_close(dialect_router_loss(changed, ids, mask), dialect_router_loss(layers, ids, mask))
    assert not torch.allclose(dialect_router_loss(changed, ids, None), dialect_router_loss(layers, ids, None))


def test_lm_loss_only_counts_answer_tokens():
    g = torch.Generator().manual_seed(4)
    logits = torch.randn(2, 6, 10, generator=g)
    labels = torch.tensor([[-100, -100, 3, 4, 5, -100], [-100, 1, 2, -100, -100, -100]])
    picked = [(0, 1, 3), (0, 2, 4), (0, 3, 5), (1, 0, 1), (1, 1, 2)]  # (b, position predicting, label)
    manual = torch.stack([-logits[b, t].log_softmax(-1)[y] for b, t, y in picked]).mean()
    torch.testing.assert_close(lm_loss(logits, labels), manual)
