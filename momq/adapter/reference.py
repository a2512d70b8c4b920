"""The mixture of LoRA experts written as plainly as possible: the oracle the vectorised path is tested against.

Everything here follows the method's formulas literally, with Python loops over dialect groups, sequences,
shared experts and routed experts (the way the reference code dispatches), and host synchronisation where
that is the readable thing to do. It is correct and slow on purpose; it is selected with
``Dispatch.REFERENCE`` and used by the tests and the speed benchmark, never in training.
"""

from __future__ import annotations

import torch

from momq.adapter.config import Routing


def reference_hard_groups(dialect_logits: torch.Tensor, token_mask: torch.Tensor | None) -> torch.Tensor:
    """For each sequence: mean of the dialect logits over its real tokens, then argmax. [B] long."""
    groups = []
    for b in range(dialect_logits.shape[0]):
        logits = dialect_logits[b].float()
        if token_mask is not None:
            logits = logits[token_mask[b]]
        if logits.shape[0] == 0:  # a sequence made only of padding: same answer as the vectorised path
            logits = torch.zeros_like(dialect_logits[b][:1]).float()
        groups.append(int(logits.mean(dim=0).argmax()))
    return torch.tensor(groups, dtype=torch.long, device=dialect_logits.device)


def reference_routing_weights(
    expert_logits: torch.Tensor,
    dialect_logits: torch.Tensor | None,
    *,
    routing: Routing,
    experts_per_dialect: int,
    top_k: int,
    renormalize: bool,
    groups: torch.Tensor | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Same contract as :func:`momq.adapter.routing.routing_weights`, computed with loops."""
    p = torch.softmax(expert_logits.float(), dim=-1)
    batch = p.shape[0]
    if routing is Routing.SOFT:
        q = torch.softmax(dialect_logits.float(), dim=-1)
        columns = []
        for g in range(q.shape[-1]):
            for j in range(experts_per_dialect):
                columns.append(q[..., g] * p[..., g * experts_per_dialect + j])
        w = torch.stack(columns, dim=-1)
        top, idx = w.topk(top_k, dim=-1)
    elif routing is Routing.NONE:
        top, idx = p.topk(top_k, dim=-1)
    elif routing in (Routing.HARD, Routing.KNOWN):
        tops, idxs = [], []
        for b in range(batch):
            g = int(groups[b])
            first = g * experts_per_dialect
            block = p[b, :, first : first + experts_per_dialect]
            t, i = block.topk(top_k, dim=-1)
            tops.append(t)
            idxs.append(i + first)
        top, idx = torch.stack(tops), torch.stack(idxs)
    else:
        raise ValueError(f"routing mode {routing.value!r} has no routed experts")
    if renormalize:
        top = top / top.sum(dim=-1, keepdim=True)
    return top.to(expert_logits.dtype), idx


def reference_shared(u: torch.Tensor, shared_A: torch.Tensor, shared_B: torch.Tensor, r: int, scaling: float):
    """Sum over the S shared experts (rank-r slices of the rank r*S LoRA), each with weight 1."""
    out = torch.zeros(*u.shape[:-1], shared_B.shape[0], dtype=u.dtype, device=u.device)
    for s in range(shared_A.shape[0] // r):
        a = shared_A[s * r : (s + 1) * r]
        b = shared_B[:, s * r : (s + 1) * r]
        out = out + scaling * ((u @ a.T) @ b.T)
    return out


def reference_experts(
    u: torch.Tensor,
    expert_A: torch.Tensor,
    expert_B: torch.Tensor,
    weights: torch.Tensor,
    idx: torch.Tensor,
    scaling: float,
) -> torch.Tensor:
    """sum over each token's top-k experts e of w_e * scaling * B_e A_e u, looping over experts."""
    flat_u = u.reshape(-1, u.shape[-1])
    flat_idx = idx.reshape(-1, idx.shape[-1])
    flat_w = weights.reshape(-1, weights.shape[-1])
    out = torch.zeros(flat_u.shape[0], expert_B.shape[1], dtype=u.dtype, device=u.device)
    for e in range(expert_A.shape[0]):
        rows, slots = torch.where(flat_idx == e)
        if rows.numel() == 0:
            continue
        h = (flat_u[rows] @ expert_A[e].T) @ expert_B[e].T
        out = out.index_add(0, rows, scaling * flat_w[rows, slots].unsqueeze(-1) * h)
    return out.reshape(*u.shape[:-1], expert_B.shape[1])
