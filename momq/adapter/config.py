"""The MoMQ adapter's configuration: one validated dataclass and the enums it uses.

What is here: the hyper-parameters of the adapter (ranks, expert counts, routing mode, loss coefficients),
their validation, a JSON round trip, and the mapping from dialect names to dialect ids. What is not here:
anything that touches torch or a model (importing this module is cheap), and training hyper-parameters
(learning rate, epochs), which belong to the trainer.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from pathlib import Path
from typing import Any

from momq.dialects.base import DIALECT_NAMES, UnknownDialectError


class Routing(enum.Enum):
    """How the routed experts of a down_proj are chosen for each token."""

    #: w[g, j] = q[g] * p[g*E_g + j], global top-k (the reference code's default).
    SOFT = "soft"
    #: One dialect group per sequence from the mean-pooled dialect-router logits; top-k inside that group.
    HARD = "hard"
    #: The caller gives the dialect of each sequence; top-k inside that dialect's group. The dialect router
    #: is kept and still trained by the dialect router loss, so the same adapter can also serve soft or hard.
    KNOWN = "known"
    #: No dialect router; global top-k over the expert router (a MixLoRA-style baseline).
    NONE = "none"
    #: No experts at all: down_proj gets a plain LoRA like every other target (the plain-LoRA baseline).
    LORA = "lora"


class BalanceScope(enum.Enum):
    """Over which experts the load-balancing loss is computed."""

    GLOBAL = "global"  # all E experts, N = E
    GROUP = "group"  # inside each dialect group (logits reshaped to [-1, E_g]), N = E_g


class Dispatch(enum.Enum):
    """Which implementation computes the mixture of experts."""

    VECTORIZED = "vectorized"  # batched, no Python loop over experts, no host synchronisation
    REFERENCE = "reference"  # readable loops; the tests' oracle


DEFAULT_LORA_TARGETS: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj")


def _coerce_enum(cls: type[enum.Enum], value: Any, field: str) -> enum.Enum:
    if isinstance(value, cls):
        return value
    try:
        return cls(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(m.value for m in cls)
        raise ValueError(f"MoMQConfig.{field}: {value!r} is not one of: {allowed}") from None


@dataclasses.dataclass
class MoMQConfig:
    """Hyper-parameters of the MoMQ adapter (defaults: the reference method at small-model scale)."""

    #: Dialect names in id order; dialect id i is ``dialects[i]``. Any number >= 1, unique.
    dialects: tuple[str, ...] = DIALECT_NAMES
    #: LoRA rank of every plain LoRA and of every routed expert.
    r: int = 8
    #: LoRA scale numerator: adapters are scaled by alpha / r.
    alpha: float = 16.0
    #: Dropout on the adapter input (plain LoRAs and experts; never on the routers).
    dropout: float = 0.05
    #: Linear modules (by attribute name inside a decoder layer) that get a plain LoRA.
    lora_targets: tuple[str, ...] = DEFAULT_LORA_TARGETS
    #: The linear module that hosts the mixture of LoRA experts.
    moe_target: str = "down_proj"
    #: E_g: routed experts per dialect group (E = len(dialects) * E_g).
    experts_per_dialect: int = 2
    #: S: shared experts, always on with weight 1 (implemented as one LoRA of rank r * S); 0 disables.
    shared_experts: int = 1
    #: Routed experts per token.
    top_k: int = 2
    routing: Routing = Routing.SOFT
    #: Renormalise the top-k weights to sum to 1 (the reference code does not: False gives parity).
    renormalize: bool = False
    #: Train the RMSNorm weights (the method's figure marks them as tuned).
    train_norms: bool = True
    #: Coefficient of the dialect router loss.
    drl_coef: float = 0.01
    #: Coefficient of the expert load-balancing loss.
    balance_coef: float = 0.001
    balance_scope: BalanceScope = BalanceScope.GLOBAL
    #: Label smoothing eps of the dialect router loss: target (1 - eps) * onehot + eps / D.
    drl_label_smoothing: float = 0.0
    dispatch: Dispatch = Dispatch.VECTORIZED

    def __post_init__(self) -> None:
        self.routing = _coerce_enum(Routing, self.routing, "routing")
        self.balance_scope = _coerce_enum(BalanceScope, self.balance_scope, "balance_scope")
        self.dispatch = _coerce_enum(Dispatch, self.dispatch, "dispatch")
        if isinstance(self.dialects, str):
            raise ValueError("MoMQConfig.dialects: give a sequence of names, not one string")
        names = tuple(str(d).strip().lower() for d in self.dialects)
        if not names or any(not n for n in names):
            raise ValueError("MoMQConfig.dialects: need at least one non-empty dialect name")
        if len(set(names)) != len(names):
            raise ValueError(f"MoMQConfig.dialects: names must be unique, got {names}")
        self.dialects = names
        if isinstance(self.lora_targets, str):
            raise ValueError("MoMQConfig.lora_targets: give a sequence of module names, not one string")
        self.lora_targets = tuple(self.lora_targets)
        if self.moe_target in self.lora_targets:
            raise ValueError(f"MoMQConfig: {self.moe_target!r} cannot be both a LoRA target and the MoE target")
        for name in ("r", "experts_per_dialect", "top_k"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"MoMQConfig.{name} must be an integer >= 1, got {value!r}")
        if isinstance(self.shared_experts, bool) or not isinstance(self.shared_experts, int) or self.shared_experts < 0:
            raise ValueError(f"MoMQConfig.shared_experts must be an integer >= 0, got {self.shared_experts!r}")
        if not self.alpha > 0:
            raise ValueError(f"MoMQConfig.alpha must be > 0, got {self.alpha!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"MoMQConfig.dropout must be in [0, 1), got {self.dropout!r}")
        if not 0.0 <= self.drl_label_smoothing < 1.0:
            raise ValueError(f"MoMQConfig.drl_label_smoothing must be in [0, 1), got {self.drl_label_smoothing!r}")
        for name in ("drl_coef", "balance_coef"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"MoMQConfig.{name} must be >= 0, got {getattr(self, name)!r}")
        if self.routing in (Routing.HARD, Routing.KNOWN) and self.top_k > self.experts_per_dialect:
            raise ValueError(
                f"MoMQConfig.top_k={self.top_k} exceeds experts_per_dialect={self.experts_per_dialect}: "
                f"{self.routing.value} routing picks experts inside one dialect group"
            )
        if self.top_k > self.num_experts:
            raise ValueError(f"MoMQConfig.top_k={self.top_k} exceeds the number of experts {self.num_experts}")

    @property
    def num_dialects(self) -> int:
        return len(self.dialects)

    @property
    def num_experts(self) -> int:
        """E: routed experts per MoE layer."""
        return self.num_dialects * self.experts_per_dialect

    @property
    def scaling(self) -> float:
        return self.alpha / self.r

    @property
    def has_experts(self) -> bool:
        return self.routing is not Routing.LORA

    @property
    def has_dialect_router(self) -> bool:
        return self.routing in (Routing.SOFT, Routing.HARD, Routing.KNOWN)

    def dialect_id(self, name: str) -> int:
        """The id of a dialect name; :class:`UnknownDialectError` for a name not in ``dialects``."""
        if not isinstance(name, str) or name.strip().lower() not in self.dialects:
            raise UnknownDialectError(name, self.dialects)
        return self.dialects.index(name.strip().lower())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, enum.Enum):
                value = value.value
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MoMQConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"MoMQConfig: unknown fields {sorted(unknown)}")
        kwargs = dict(data)
        for name in ("dialects", "lora_targets"):
            if name in kwargs:
                kwargs[name] = tuple(kwargs[name])
        return cls(**kwargs)

    def to_json(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2) + "\n")

    @classmethod
    def from_json(cls, path: str | Path) -> MoMQConfig:
        return cls.from_dict(json.loads(Path(path).read_text()))
