"""Routing statistics: per layer and per dialect, tokens sent to each expert and the dialect router's accuracy.

Counts accumulate on the model's device (no host synchronisation per batch) and are read once by
:meth:`RoutingStats.to_dict` / :meth:`RoutingStats.to_json`. Padding tokens are never counted. What is not
here: plots (the evaluation area draws them from the JSON).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import torch
import torch.nn.functional as F

from momq.adapter.config import MoMQConfig
from momq.adapter.routing import LayerRecord


class RoutingStats:
    """Accumulates :class:`LayerRecord` lists (from ``MoMQOutput.routing`` or ``generate(records=...)``)."""

    def __init__(self, config: MoMQConfig):
        self.config = config
        self.expert_tokens: torch.Tensor | None = None  # [L, D, E] tokens of dialect d routed to expert e
        self.router_correct: torch.Tensor | None = None  # [L, D]
        self.router_total: torch.Tensor | None = None  # [L, D]
        # accuracy of the dialect logits averaged over layers (what the dialect router loss trains), per token
        # and per sequence (pooled over its real tokens); [4, D] rows: token hits, tokens, sequence hits, sequences
        self.combined: torch.Tensor | None = None

    def update(
        self,
        records: Sequence[LayerRecord],
        dialect_ids: torch.Tensor,
        token_mask: torch.Tensor | None = None,
    ) -> None:
        """Add one forward's records; ``dialect_ids`` [B] is the true dialect, ``token_mask`` [B, S] real tokens."""
        if not records:
            return
        cfg = self.config
        layers, d, e = len(records), cfg.num_dialects, cfg.num_experts
        device = records[0].expert_logits.device
        if self.expert_tokens is None:
            self.expert_tokens = torch.zeros(layers, d, e, device=device)
            self.router_correct = torch.zeros(layers, d, device=device)
            self.router_total = torch.zeros(layers, d, device=device)
            self.combined = torch.zeros(4, d, device=device)
        batch, length = records[0].topk_idx.shape[:2]
        if token_mask is None:
            m = torch.ones(batch, length, device=device)
        else:
            m = token_mask[:, -length:].float().to(device)
        ids = dialect_ids.to(device)
        for li, rec in enumerate(records):
            per_seq = (F.one_hot(rec.topk_idx, e).sum(dim=-2).float() * m.unsqueeze(-1)).sum(dim=1)  # [B, E]
            self.expert_tokens[li].index_add_(0, ids, per_seq)
            if rec.dialect_logits is not None:
                hit = (rec.dialect_logits.argmax(dim=-1) == ids[:, None]).float() * m  # [B, S]
                self.router_correct[li].index_add_(0, ids, hit.sum(dim=1))
                self.router_total[li].index_add_(0, ids, m.sum(dim=1))
        if records[0].dialect_logits is not None:
            mean = torch.stack([rec.dialect_logits.float() for rec in records]).mean(dim=0)  # [B, S, D]
            token_hit = ((mean.argmax(dim=-1) == ids[:, None]).float() * m).sum(dim=1)
            pooled = (mean * m.unsqueeze(-1)).sum(dim=1) / m.sum(dim=1, keepdim=True).clamp(min=1)
            seq_hit = (pooled.argmax(dim=-1) == ids).float()
            rows = torch.stack([token_hit, m.sum(dim=1), seq_hit, torch.ones_like(seq_hit)])  # [4, B]
            self.combined.index_add_(1, ids, rows)

    def router_accuracy(self) -> list[float | None]:
        """Per layer: fraction of real tokens whose dialect-router argmax is the true dialect."""
        if self.router_total is None:
            return []
        total = self.router_total.sum(dim=1)
        acc = self.router_correct.sum(dim=1) / total.clamp(min=1)
        return [float(a) if float(t) > 0 else None for a, t in zip(acc.tolist(), total.tolist())]

    def combined_accuracy(self) -> dict[str, float | None]:
        """Accuracy of the layer-averaged dialect logits: per real token, and per sequence (pooled over tokens)."""
        if self.combined is None or float(self.combined[3].sum()) == 0:
            return {"token": None, "sequence": None}
        c = self.combined.sum(dim=1).tolist()
        return {"token": c[0] / max(c[1], 1.0), "sequence": c[2] / c[3]}

    def to_dict(self) -> dict:
        cfg = self.config
        out = {"dialects": list(cfg.dialects), "num_experts": cfg.num_experts,
               "experts_per_dialect": cfg.experts_per_dialect, "layers": [],
               "layer_mean_router_accuracy": self.combined_accuracy()}
        if self.expert_tokens is None:
            return out
        tokens = self.expert_tokens.cpu().tolist()
        correct, total = self.router_correct.cpu().tolist(), self.router_total.cpu().tolist()
        overall = self.router_accuracy()
        for li in range(len(tokens)):
            out["layers"].append({
                "layer": li,
                "expert_tokens": {name: [int(v) for v in tokens[li][di]] for di, name in enumerate(cfg.dialects)},
                "router_accuracy": {
                    name: (correct[li][di] / total[li][di] if total[li][di] else None)
                    for di, name in enumerate(cfg.dialects)
                },
                "router_accuracy_all": overall[li],
            })
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)
