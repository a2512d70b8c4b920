"""Shared helpers for the adapter tests: tiny randomly initialised Qwen2 and Llama bases and toy batches."""

from __future__ import annotations

import pytest
import torch

from momq.adapter.config import MoMQConfig
from momq.adapter.model import MoMQModel

FAMILIES = ("qwen2", "llama")
VOCAB = 128
DIALECTS = ("mysql", "postgresql", "cypher")


def tiny_base(family: str, seed: int = 0):
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

    shape = dict(hidden_size=64, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, vocab_size=VOCAB, max_position_embeddings=128)
    torch.manual_seed(seed)
    if family == "qwen2":
        model = Qwen2ForCausalLM(Qwen2Config(**shape))
    elif family == "llama":
        model = LlamaForCausalLM(LlamaConfig(**shape))
    else:
        raise AssertionError(family)
    return model.eval()


def tiny_config(**overrides) -> MoMQConfig:
    kwargs = dict(dialects=DIALECTS, r=4, alpha=8.0, dropout=0.0, experts_per_dialect=3, shared_experts=2, top_k=2)
    kwargs.update(overrides)
    return MoMQConfig(**kwargs)


def tiny_model(family: str, seed: int = 0, **overrides) -> MoMQModel:
    return MoMQModel(tiny_base(family, seed), tiny_config(**overrides)).eval()


@torch.no_grad()
def perturb(model: MoMQModel, seed: int = 1, scale: float = 0.2) -> None:
    """Move every trainable parameter away from its init (B = 0 would hide the experts)."""
    g = torch.Generator().manual_seed(seed)
    for _, p in sorted(model.trainable_state_dict().items()):
        p.add_(scale * torch.randn(p.shape, generator=g))


def toy_batch(batch: int = 3, length: int = 9, seed: int = 2, left_pad: tuple[int, ...] = (0, 3, 1)):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1, VOCAB, (batch, length), generator=g)
    mask = torch.ones_like(ids)
    for b, n in enumerate(left_pad[:batch]):
        mask[b, :n] = 0
        ids[b, :n] = 0
    labels = ids.clone()
    labels[mask == 0] = -100
    labels[:, : length // 3] = -100
    return ids, mask, labels


@pytest.fixture(params=FAMILIES)
def family(request) -> str:
    return request.param
