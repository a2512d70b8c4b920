"""The adapter's layers: a plain LoRA linear and the mixture-of-LoRA-experts linear that replaces down_proj.

Both wrap a frozen ``nn.Linear`` and always return a tensor. ``LoRALinear`` adds (alpha/r) * B A dropout(x).
``MoELoRALinear`` adds a shared LoRA of rank r*S (weight 1) and E = D * E_g routed rank-r experts chosen per
token by an expert router and a dialect router (see REFERENCE.md). Initialisation: A Kaiming-uniform, B zero,
routers Kaiming-uniform, so a fresh adapter computes exactly the base layer. What is not here: choosing which
modules to wrap (``model.py``), the routing formulas (``routing.py``) and the losses (``losses.py``).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from momq.adapter.config import Dispatch, MoMQConfig, Routing
from momq.adapter.reference import (
    reference_experts,
    reference_hard_groups,
    reference_routing_weights,
    reference_shared,
)
from momq.adapter.routing import LayerRecord, RoutingContext, hard_groups, routing_weights


def _kaiming_(t: torch.Tensor) -> None:
    nn.init.kaiming_uniform_(t, a=math.sqrt(5))  # nn.Linear's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in))


def _frozen(base: nn.Linear) -> nn.Linear:
    if not isinstance(base, nn.Linear):
        raise TypeError(f"can only wrap nn.Linear, got {type(base).__name__}")
    base.requires_grad_(False)
    return base


class LoRALinear(nn.Module):
    """y = W x + b + (alpha / r) * B A dropout(x), with W and b frozen."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float):
        super().__init__()
        self.base = _frozen(base)
        self.r = r
        self.scaling = alpha / r
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        w = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))
        self.lora_B = nn.Parameter(torch.empty(base.out_features, r, dtype=w.dtype, device=w.device))
        self.merged = False
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _kaiming_(self.lora_A)
        nn.init.zeros_(self.lora_B)

    def delta_weight(self) -> torch.Tensor:
        return self.scaling * (self.lora_B @ self.lora_A)

    @torch.no_grad()
    def merge(self) -> None:
        if not self.merged:
            self.base.weight += self.delta_weight().to(self.base.weight.dtype)
            self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        if self.merged:
            self.base.weight -= self.delta_weight().to(self.base.weight.dtype)
            self.merged = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.base(x)
        if self.merged:
            return y
        return y + self.scaling * ((self.dropout(x) @ self.lora_A.T) @ self.lora_B.T)


class MoELoRALinear(nn.Module):
    """down_proj with a shared LoRA and routed LoRA experts: W u + shared(u) + sum_topk w_e (alpha/r) B_e A_e u."""

    def __init__(self, base: nn.Linear, config: MoMQConfig, layer_index: int, context: RoutingContext):
        super().__init__()
        if not config.has_experts:
            raise ValueError("MoELoRALinear needs a routing mode with experts (not 'lora')")
        self.base = _frozen(base)
        self.layer_index = layer_index
        self.context = context
        self.routing = config.routing
        self.dispatch = config.dispatch
        self.r = config.r
        self.scaling = config.scaling
        self.top_k = config.top_k
        self.renormalize = config.renormalize
        self.experts_per_dialect = config.experts_per_dialect
        self.num_experts = config.num_experts
        self.num_dialects = config.num_dialects
        self.dropout_p = config.dropout
        self.dropout = nn.Dropout(config.dropout) if config.dropout > 0 else nn.Identity()
        d_in, d_out = base.in_features, base.out_features
        kw = {"dtype": base.weight.dtype, "device": base.weight.device}
        s_rank = config.r * config.shared_experts
        if s_rank:
            self.shared_A = nn.Parameter(torch.empty(s_rank, d_in, **kw))
            self.shared_B = nn.Parameter(torch.empty(d_out, s_rank, **kw))
        else:
            self.register_parameter("shared_A", None)
            self.register_parameter("shared_B", None)
        self.expert_A = nn.Parameter(torch.empty(self.num_experts, config.r, d_in, **kw))
        self.expert_B = nn.Parameter(torch.empty(self.num_experts, d_out, config.r, **kw))
        self.router_expert = nn.Parameter(torch.empty(self.num_experts, d_in, **kw))
        if config.has_dialect_router:
            self.router_dialect = nn.Parameter(torch.empty(self.num_dialects, d_in, **kw))
        else:
            self.register_parameter("router_dialect", None)
        self.shared_merged = False
        self.reset_parameters()

    @torch.no_grad()
    def reset_parameters(self) -> None:
        if self.shared_A is not None:
            _kaiming_(self.shared_A)
            nn.init.zeros_(self.shared_B)
        for e in range(self.num_experts):
            _kaiming_(self.expert_A[e])
        nn.init.zeros_(self.expert_B)
        _kaiming_(self.router_expert)
        if self.router_dialect is not None:
            _kaiming_(self.router_dialect)

    # merging: only the shared experts fold into W; routed experts depend on the token and stay separate
    @torch.no_grad()
    def merge(self) -> None:
        if not self.shared_merged and self.shared_A is not None:
            self.base.weight += (self.scaling * (self.shared_B @ self.shared_A)).to(self.base.weight.dtype)
        self.shared_merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        if self.shared_merged and self.shared_A is not None:
            self.base.weight -= (self.scaling * (self.shared_B @ self.shared_A)).to(self.base.weight.dtype)
        self.shared_merged = False

    def _router_weight(self) -> torch.Tensor:
        if self.router_dialect is None:
            return self.router_expert
        return torch.cat([self.router_expert, self.router_dialect], dim=0)

    def _groups(self, dialect_logits, token_mask, batch: int, device) -> torch.Tensor | None:
        ctx = self.context
        if self.routing is Routing.KNOWN:
            groups = ctx.dialects_for(batch, device)
            if groups is None:
                raise ValueError("routing 'known' needs dialect_ids for every forward and generate call")
            return groups
        if self.routing is Routing.HARD:
            cached = ctx.hard_groups.get(self.layer_index)
            if ctx.past_len > 0 and cached is not None and cached.shape[0] == batch:
                return cached  # decoding with a KV cache: keep the group chosen from the prompt
            if self.dispatch is Dispatch.REFERENCE:
                groups = reference_hard_groups(dialect_logits, token_mask)
            else:
                groups = hard_groups(dialect_logits, token_mask)
            ctx.hard_groups[self.layer_index] = groups
            return groups
        return None

    def forward(self, u: torch.Tensor) -> torch.Tensor:
        squeeze = u.dim() == 2
        if squeeze:  # [T, d] called directly: one sequence
            u = u.unsqueeze(0)
        batch, length, d_in = u.shape
        y = self.base(u)
        dropping = self.training and self.dropout_p > 0
        u_drop = self.dropout(u) if dropping else u
        fuse = not dropping and self.dispatch is Dispatch.VECTORIZED
        flat = u.reshape(-1, d_in)
        router_w = self._router_weight()
        n_router = router_w.shape[0]
        use_shared = self.shared_A is not None and not self.shared_merged
        s_rank = self.shared_A.shape[0] if use_shared else 0
        e_rank = self.num_experts * self.r
        if fuse:
            # one GEMM for routers, shared A and all expert A's: [T, d_ff] @ [d_ff, E + D + r*S + E*r]
            blocks = [router_w] + ([self.shared_A] if use_shared else []) + [self.expert_A.reshape(e_rank, d_in)]
            h = flat @ torch.cat(blocks, dim=0).T
            logits, h = h[:, :n_router], h[:, n_router:]
        else:
            logits = flat @ router_w.T
            h = None
        logits = logits.reshape(batch, length, n_router)
        expert_logits = logits[..., : self.num_experts]
        dialect_logits = logits[..., self.num_experts :] if self.router_dialect is not None else None

        ctx = self.context
        token_mask = ctx.token_mask(batch, length, u.device)
        groups = self._groups(dialect_logits, token_mask, batch, u.device)
        route = reference_routing_weights if self.dispatch is Dispatch.REFERENCE else routing_weights
        weights, idx = route(
            expert_logits,
            dialect_logits,
            routing=self.routing,
            experts_per_dialect=self.experts_per_dialect,
            top_k=self.top_k,
            renormalize=self.renormalize,
            groups=groups,
        )
        if ctx.collect:
            ctx.records.append(LayerRecord(expert_logits, dialect_logits, idx))

        if self.dispatch is Dispatch.REFERENCE:
            delta = reference_experts(u_drop, self.expert_A, self.expert_B, weights, idx, self.scaling)
            if use_shared:
                delta = delta + reference_shared(u_drop, self.shared_A, self.shared_B, self.r, self.scaling)
        else:
            delta = self._vectorized(u_drop.reshape(-1, d_in), h, weights, idx, use_shared, s_rank)
            delta = delta.reshape(batch, length, -1)
        out = y + delta
        return out.squeeze(0) if squeeze else out

    def _vectorized(self, x, h, weights, idx, use_shared: bool, s_rank: int) -> torch.Tensor:
        """All experts' A projections in one matmul, top-k weights as a sparse [T, E] mask, one B matmul."""
        tokens = x.shape[0]
        e_rank = self.num_experts * self.r
        if h is None:
            blocks = ([self.shared_A] if use_shared else []) + [self.expert_A.reshape(e_rank, x.shape[-1])]
            h = x @ torch.cat(blocks, dim=0).T
        gate = torch.zeros(tokens, self.num_experts, dtype=h.dtype, device=h.device)
        gate = gate.scatter(1, idx.reshape(tokens, -1), weights.reshape(tokens, -1).to(h.dtype))
        routed = (h[:, s_rank:].reshape(tokens, self.num_experts, self.r) * gate.unsqueeze(-1)).reshape(tokens, e_rank)
        b_routed = self.expert_B.permute(1, 0, 2).reshape(self.expert_B.shape[1], e_rank)
        if use_shared:
            z = torch.cat([h[:, :s_rank], routed], dim=1)
            b = torch.cat([self.shared_B, b_routed], dim=1)
        else:
            z, b = routed, b_routed
        return self.scaling * (z @ b.T)
