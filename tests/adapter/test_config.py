"""MoMQConfig: defaults, validation, JSON round trip and dialect ids."""

from __future__ import annotations

import pytest

from momq.adapter.config import BalanceScope, Dispatch, MoMQConfig, Routing
from momq.dialects.base import DIALECT_NAMES, UnknownDialectError


def test_defaults_follow_the_method():
    cfg = MoMQConfig()
    assert cfg.dialects == DIALECT_NAMES
    assert cfg.routing is Routing.SOFT and cfg.renormalize is False
    assert cfg.lora_targets == ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj")
    assert cfg.moe_target == "down_proj"
    assert (cfg.drl_coef, cfg.balance_coef) == (0.01, 0.001)
    assert cfg.num_experts == 4 * cfg.experts_per_dialect
    assert cfg.scaling == cfg.alpha / cfg.r


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"dialects": ()}, "at least one"),
        ({"dialects": ("mysql", "MySQL")}, "unique"),
        ({"dialects": "mysql"}, "sequence"),
        ({"r": 0}, "r must be"),
        ({"r": 2.5}, "r must be"),
        ({"experts_per_dialect": 0}, "experts_per_dialect"),
        ({"shared_experts": -1}, "shared_experts"),
        ({"top_k": 0}, "top_k"),
        ({"top_k": 3, "experts_per_dialect": 2, "routing": "known"}, "exceeds experts_per_dialect"),
        ({"top_k": 3, "experts_per_dialect": 2, "routing": "hard"}, "exceeds experts_per_dialect"),
        ({"top_k": 9, "experts_per_dialect": 2}, "exceeds the number of experts"),
        ({"alpha": 0}, "alpha"),
        ({"dropout": 1.0}, "dropout"),
        ({"drl_label_smoothing": -0.1}, "label_smoothing"),
        ({"drl_coef": -1}, "drl_coef"),
        ({"routing": "sometimes"}, "routing"),
        ({"balance_scope": "layer"}, "balance_scope"),
        ({"dispatch": "fast"}, "dispatch"),
        ({"lora_targets": ("q_proj", "down_proj")}, "both"),
    ],
)
def test_invalid_values_are_rejected(overrides, message):
    with pytest.raises(ValueError, match=message):
        MoMQConfig(**overrides)


def test_top_k_above_group_size_is_fine_for_soft_routing():
    assert MoMQConfig(top_k=3, experts_per_dialect=2, routing="soft").top_k == 3


def test_json_round_trip(tmp_path):
    cfg = MoMQConfig(dialects=("a", "b"), r=16, routing="hard", balance_scope="group", dispatch="reference",
                     drl_label_smoothing=0.1, train_norms=False, lora_targets=("q_proj",))
    assert cfg.routing is Routing.HARD and cfg.balance_scope is BalanceScope.GROUP
    assert cfg.dispatch is Dispatch.REFERENCE
    assert MoMQConfig.from_dict(cfg.to_dict()) == cfg
    cfg.to_json(tmp_path / "c.json")
    assert MoMQConfig.from_json(tmp_path / "c.json") == cfg
    with pytest.raises(ValueError, match="unknown fields"):
        MoMQConfig.from_dict({**cfg.to_dict(), "rank": 3})


def test_dialect_ids():
    cfg = MoMQConfig(dialects=("cypher", "ngql"))
    assert cfg.dialect_id("ngql") == 1 and cfg.dialect_id(" Cypher ") == 0
    with pytest.raises(UnknownDialectError, match="mysql"):
        cfg.dialect_id("mysql")
    assert not MoMQConfig(routing="none").has_dialect_router
    assert not MoMQConfig(routing="lora").has_experts
