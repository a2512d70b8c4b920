"""TrainConfig: validation with clear messages, YAML round trip, command-line overrides, adapter variants."""

from __future__ import annotations

import pytest

from momq.adapter.config import Routing
from momq.train.config import TrainConfig, Variant


@pytest.mark.parametrize("changes, message", [
    ({"variant": "gpt"}, "variant must be one of momq, moe-lora, lora"),
    ({"routing": "lora"}, "routing must be known, soft or hard"),
    ({"batch_size": 0}, "batch_size must be an integer >= 1"),
    ({"dialects": ["sparql"]}, "sparql"),
    ({"split": "test", "preset": "balanced"}, "train split only"),
    ({"max_steps": 0}, "max_steps"),
    ({"warmup_ratio": 1.5}, "warmup_ratio"),
    ({"learning_rate": 0}, "learning_rate"),
])
def test_bad_values_are_clear_errors(changes, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**changes)


def test_yaml_round_trip_and_overrides(tmp_path):
    config = TrainConfig(variant="lora", dialects=("mysql", "cypher"), max_steps=7)
    config.to_yaml(tmp_path / "c.yaml")
    again = TrainConfig.from_yaml(tmp_path / "c.yaml")
    assert again == config and again.variant is Variant.LORA and again.dialects == ("mysql", "cypher")
    changed = again.with_overrides(["dialects=[ngql, postgresql]", "learning_rate=2e-4", "preset=null",
                                    "match_params_of=momq"])
    assert changed.dialects == ("ngql", "postgresql") and changed.learning_rate == 2e-4
    assert changed.preset is None and changed.match_params_of is Variant.MOMQ
    with pytest.raises(ValueError, match="unknown training option.*lr"):
        again.with_overrides(["lr=1"])
    with pytest.raises(ValueError, match="expected field=value"):
        again.with_overrides(["max_steps"])


@pytest.mark.parametrize("variant, routing, experts, drl", [
    ("momq", Routing.KNOWN, True, 0.01),
    ("moe-lora", Routing.NONE, True, 0.0),
    ("lora", Routing.LORA, False, 0.01),
])
def test_variants_map_to_one_adapter_code_path(variant, routing, experts, drl):
    adapter = TrainConfig(variant=variant).adapter_config()
    assert adapter.routing is routing and adapter.has_experts is experts and adapter.drl_coef == drl
    assert adapter.scaling == TrainConfig().adapter_config(r=32).scaling  # matching a rank keeps alpha / r
