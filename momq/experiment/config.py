"""The experiment's configuration: which runs (method x data profile, plus ablations), trained and scored how.

An experiment is a grid of :class:`RunSpec`: every method (``lora``, ``moe-lora``, ``momq``) on every profile
(an imbalance preset of the build: ``balanced``, ``paper-like``), all with the same seed, steps, examples and
data order, the LoRA baseline sized to MoMQ's trainable-parameter count; and ablations, each a MoMQ run on one
profile with some training fields changed (no shared experts, no dialect router loss, in-group balance) or a
different routing at inference (soft instead of known). ``ExperimentConfig.from_yaml`` reads it; the shared
training fields are a :class:`momq.train.config.TrainConfig` mapping. This module does not run anything.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, Mapping

from momq.train.config import TrainConfig, Variant, dataclass_from_mapping, read_yaml_mapping

METHODS: tuple[str, ...] = tuple(v.value for v in Variant)
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclasses.dataclass(frozen=True)
class RunSpec:
    """One cell of the experiment: a training config and how it is evaluated."""

    name: str
    method: str
    profile: str
    train: TrainConfig
    inference_routing: str | None = None
    #: the run whose trained adapter this one evaluates (ablations at inference reuse a training run)
    reuse_training_of: str | None = None
    ablation: str | None = None


@dataclasses.dataclass
class Ablation:
    name: str
    profile: str = "paper-like"
    #: TrainConfig fields changed for this run (empty: the MoMQ run of ``profile`` is reused)
    train: dict[str, Any] = dataclasses.field(default_factory=dict)
    inference_routing: str | None = None
    #: evaluate the trained adapter of this run (e.g. ``soft-trained.paper-like``) instead of training one
    reuse: str | None = None

    def __post_init__(self) -> None:
        if self.reuse is not None and self.train:
            raise ValueError(f"ablation {self.name}: give either train changes or reuse, not both")
        if not _NAME.match(self.name):
            raise ValueError(f"ablation name {self.name!r}: lower-case letters, digits, '.', '_' or '-'")


@dataclasses.dataclass
class ExperimentConfig:
    name: str = "paper"
    methods: tuple[str, ...] = METHODS
    profiles: tuple[str, ...] = ("balanced", "paper-like")
    #: Size every non-MoMQ method to MoMQ's trainable-parameter count (the LoRA rank is raised).
    match_params: bool = True
    #: TrainConfig fields shared by every run (build, base_model, steps, batch, prompt_tokens, ...).
    train: dict[str, Any] = dataclasses.field(default_factory=dict)
    #: Evaluation: split and items per dialect (None: the whole split).
    eval_split: str = "test"
    eval_items: int | None = 40
    eval_batch_size: int = 8
    ablations: tuple[Ablation, ...] = ()

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"experiment name {self.name!r}: lower-case letters, digits, '.', '_' or '-'")
        self.methods = tuple(self.methods)
        unknown = [m for m in self.methods if m not in METHODS]
        if unknown or not self.methods:
            raise ValueError(f"methods must be some of {', '.join(METHODS)}, got {list(self.methods)}")
        self.profiles = tuple(self.profiles)
        if not self.profiles:
            raise ValueError("give at least one profile")
        self.ablations = tuple(a if isinstance(a, Ablation) else Ablation(**a) for a in self.ablations)
        for field in ("variant", "preset", "output_dir", "match_params_of"):
            if field in self.train:
                raise ValueError(f"train.{field} is set per run by the experiment; remove it from the config")
        self.base_train()  # validates the shared fields
        names = [r.name for r in self.runs()]
        if len(set(names)) != len(names):
            raise ValueError(f"run names collide: {names}")

    def base_train(self, **changes: Any) -> TrainConfig:
        return TrainConfig.from_dict({**self.train, **changes})

    def runs(self) -> list[RunSpec]:
        out: list[RunSpec] = []
        for profile in self.profiles:
            for method in self.methods:
                match = Variant.MOMQ if self.match_params and method != "momq" else None
                cfg = self.base_train(variant=method, preset=profile, match_params_of=match)
                out.append(RunSpec(f"{method}.{profile}", method, profile, cfg))
        for ab in self.ablations:
            if ab.profile not in self.profiles:
                raise ValueError(f"ablation {ab.name}: profile {ab.profile!r} is not one of {list(self.profiles)}")
            if ab.train:
                cfg = self.base_train(variant="momq", preset=ab.profile, **ab.train)
                out.append(RunSpec(f"{ab.name}.{ab.profile}", "momq", ab.profile, cfg, ab.inference_routing,
                                   ablation=ab.name))
                continue
            reused = ab.reuse or f"momq.{ab.profile}"
            source = next((r for r in out if r.name == reused), None)
            if source is None or source.reuse_training_of:
                raise ValueError(f"ablation {ab.name}: reuses {reused!r}, which is not a training run listed before it")
            out.append(RunSpec(f"{ab.name}.{ab.profile}", "momq", ab.profile, source.train, ab.inference_routing,
                               reuse_training_of=reused, ablation=ab.name))
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ExperimentConfig":
        return dataclass_from_mapping(cls, data, "experiment")

    @classmethod
    def from_yaml(cls, path: str | Path) -> "ExperimentConfig":
        return cls.from_dict(read_yaml_mapping(path))


__all__ = ["Ablation", "ExperimentConfig", "METHODS", "RunSpec"]
