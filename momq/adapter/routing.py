"""Routing of tokens to LoRA experts, vectorised, and the per-forward context that carries dialect ids.

What is here: the routing weights of every mode (soft, hard, known, none) computed with batched tensor
operations (no Python loop over experts, no host synchronisation), the choice of one dialect group per
sequence for hard routing, and :class:`RoutingContext`, the small object the wrapper fills before each forward
so that every MoE layer sees the dialect ids and the padding mask without any change to the model's code.
What is not here: the expert computation itself (``layer.py``), the losses (``losses.py``) and the loop-based
oracle (``reference.py``).
"""

from __future__ import annotations

import dataclasses

import torch

from momq.adapter.config import Routing


@dataclasses.dataclass
class LayerRecord:
    """What one MoE layer saw and chose during one forward (tensors stay on the device, no sync)."""

    #: Expert-router logits z, [B, S, E].
    expert_logits: torch.Tensor
    #: Dialect-router logits c, [B, S, D]; None when the routing mode has no dialect router.
    dialect_logits: torch.Tensor | None
    #: Indices of the chosen experts, [B, S, k].
    topk_idx: torch.Tensor


@dataclasses.dataclass
class RoutingContext:
    """Per-forward inputs of the MoE layers, set by the wrapper (PEFT Poly style) and shared by all layers."""

    #: Dialect id of each sequence, [B] long, or None when unknown.
    dialect_ids: torch.Tensor | None = None
    #: The 2-D attention mask of the current call, [B, past + S] (1 = real token), or None (no padding).
    attention_mask: torch.Tensor | None = None
    #: Tokens already in the KV cache before the current call (0 for a full forward or a prefill).
    past_len: int = 0
    #: Whether layers append a :class:`LayerRecord` to ``records`` (losses and statistics need them).
    collect: bool = False
    records: list[LayerRecord] = dataclasses.field(default_factory=list)
    #: Hard routing: the group each layer chose for each sequence at the prefill, reused while decoding.
    hard_groups: dict[int, torch.Tensor] = dataclasses.field(default_factory=dict)

    def token_mask(self, batch: int, length: int, device: torch.device) -> torch.Tensor | None:
        """Bool mask [batch, length] of the current call's real tokens, or None when there is no padding info."""
        mask = self.attention_mask
        if mask is None or mask.dim() != 2:
            return None
        mask = mask[:, mask.shape[1] - length :].to(device=device, dtype=torch.bool)
        return expand_batch(mask, batch)

    def dialects_for(self, batch: int, device: torch.device) -> torch.Tensor | None:
        if self.dialect_ids is None:
            return None
        return expand_batch(self.dialect_ids.to(device), batch)


def expand_batch(t: torch.Tensor, batch: int) -> torch.Tensor:
    """Repeat per-sequence values when generation expanded each sequence (beams, several samples)."""
    n = t.shape[0]
    if n == batch:
        return t
    if n > 0 and batch % n == 0:
        return t.repeat_interleave(batch // n, dim=0)
    raise ValueError(f"the routing context holds {n} sequences but the layer received a batch of {batch}")


def group_of_expert(num_experts: int, experts_per_dialect: int, device: torch.device) -> torch.Tensor:
    """[E] long: the dialect group of each routed expert (expert e = g * E_g + j)."""
    return torch.arange(num_experts, device=device) // experts_per_dialect


def hard_groups(dialect_logits: torch.Tensor, token_mask: torch.Tensor | None) -> torch.Tensor:
    """One dialect group per sequence: argmax of the dialect logits mean-pooled over real tokens. [B] long."""
    if token_mask is None:
        pooled = dialect_logits.float().mean(dim=1)
    else:
        m = token_mask.to(dialect_logits.dtype).unsqueeze(-1).float()
        pooled = (dialect_logits.float() * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)
    return pooled.argmax(dim=-1)


def routing_weights(
    expert_logits: torch.Tensor,
    dialect_logits: torch.Tensor | None,
    *,
    routing: Routing,
    experts_per_dialect: int,
    top_k: int,
    renormalize: bool,
    groups: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Top-k weights and expert indices, both [B, S, k], for one MoE layer.

    ``groups`` ([B] long) is required by hard and known routing: the dialect group of each sequence.
    Weights are computed in float32 and returned in the dtype of ``expert_logits``.
    """
    p = torch.softmax(expert_logits.float(), dim=-1)
    num_experts = p.shape[-1]
    if routing is Routing.SOFT:
        if dialect_logits is None:
            raise ValueError("soft routing needs dialect-router logits")
        q = torch.softmax(dialect_logits.float(), dim=-1)
        weights = q.repeat_interleave(experts_per_dialect, dim=-1) * p
        scores = weights
    elif routing in (Routing.HARD, Routing.KNOWN):
        if groups is None:
            raise ValueError(f"{routing.value} routing needs one dialect group per sequence")
        allowed = group_of_expert(num_experts, experts_per_dialect, p.device)[None, :] == groups[:, None]
        weights = p
        scores = p.masked_fill(~allowed[:, None, :], float("-inf"))
    elif routing is Routing.NONE:
        weights = p
        scores = p
    else:
        raise ValueError(f"routing mode {routing.value!r} has no routed experts")
    idx = scores.topk(top_k, dim=-1).indices
    top = weights.gather(-1, idx)
    if renormalize:
        top = top / top.sum(dim=-1, keepdim=True)
    return top.to(expert_logits.dtype), idx
