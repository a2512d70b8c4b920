"""The three training losses of MoMQ: LM cross-entropy, dialect router loss and expert load balance.

All three mask padding (and the LM loss masks prompt tokens through labels = -100), and none synchronises
with the host. What is not here: their weighting into a total (the wrapper does that with the configured
coefficients) and any optimisation.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F

IGNORE_INDEX = -100


def lm_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Next-token cross-entropy, mean over the positions whose label is not -100 (answer tokens)."""
    shift_logits = logits[:, :-1, :].float().reshape(-1, logits.shape[-1])
    shift_labels = labels[:, 1:].reshape(-1).to(logits.device)
    total = F.cross_entropy(shift_logits, shift_labels, ignore_index=IGNORE_INDEX, reduction="sum")
    count = (shift_labels != IGNORE_INDEX).sum().clamp(min=1)
    return total / count


def _float_mask(token_mask: torch.Tensor | None, like: torch.Tensor) -> torch.Tensor:
    if token_mask is None:
        return torch.ones(like.shape[:2], dtype=torch.float32, device=like.device)
    return token_mask.to(device=like.device, dtype=torch.float32)


def dialect_router_loss(
    dialect_logits: Sequence[torch.Tensor],
    dialect_ids: torch.Tensor,
    token_mask: torch.Tensor | None = None,
    label_smoothing: float = 0.0,
) -> torch.Tensor:
    """DRL: CE( mean over layers and real tokens of the dialect logits [B, S, D], dialect id of the sequence )."""
    stacked = torch.stack(list(dialect_logits)).float()  # [L, B, S, D]
    per_token = stacked.mean(dim=0)  # [B, S, D]
    m = _float_mask(token_mask, per_token).unsqueeze(-1)
    pooled = (per_token * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
    return F.cross_entropy(pooled, dialect_ids.to(pooled.device), label_smoothing=label_smoothing)


def balance_loss(
    expert_logits: Sequence[torch.Tensor],
    top_k: int,
    token_mask: torch.Tensor | None = None,
    experts_per_group: int | None = None,
) -> torch.Tensor:
    """Switch/Mixtral load balance N * sum_e f_e P_e over all layers' expert logits [B, S, E], padding masked.

    f_e is the fraction of (real) tokens whose top-k includes e, P_e the mean router probability of e.
    Global scope (``experts_per_group=None``): N = E. In-group scope: each token's logits are split into
    its D groups of E_g (reshaped to [-1, E_g]), each group counts as a row, N = E_g and top-k is
    min(top_k, E_g).
    """
    stacked = torch.stack(list(expert_logits)).float()  # [L, B, S, E]
    layers, batch, length, num = stacked.shape
    m = _float_mask(token_mask, stacked[0])  # [B, S]
    if experts_per_group is not None:
        groups = num // experts_per_group
        stacked = stacked.reshape(layers, batch, length * groups, experts_per_group)
        m = m.repeat_interleave(groups, dim=1)
        num = experts_per_group
        top_k = min(top_k, experts_per_group)
    probs = torch.softmax(stacked.reshape(layers, -1, num), dim=-1)  # [L, N, n]
    m = m.reshape(1, -1, 1)
    chosen = F.one_hot(probs.topk(top_k, dim=-1).indices, num).sum(dim=-2).float()  # [L, N, n]
    rows = m.sum() * layers
    tokens_per_expert = (chosen * m).sum(dim=(0, 1)) / rows
    prob_per_expert = (probs * m).sum(dim=(0, 1)) / rows
    return num * (tokens_per_expert * prob_per_expert).sum()
