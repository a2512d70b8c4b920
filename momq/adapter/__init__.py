"""The MoMQ adapter: dialect expert groups, shared experts and multi-level routing on stock HF causal LMs.

Public names are imported lazily so that ``import momq.adapter`` (and ``momq --help``) does not load torch.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "MoMQConfig": "momq.adapter.config",
    "Routing": "momq.adapter.config",
    "BalanceScope": "momq.adapter.config",
    "Dispatch": "momq.adapter.config",
    "LoRALinear": "momq.adapter.layer",
    "MoELoRALinear": "momq.adapter.layer",
    "MoMQModel": "momq.adapter.model",
    "MoMQOutput": "momq.adapter.model",
    "UnsupportedModelError": "momq.adapter.model",
    "SUPPORTED_MODEL_TYPES": "momq.adapter.model",
    "inject": "momq.adapter.model",
    "load_adapter": "momq.adapter.model",
    "RoutingStats": "momq.adapter.stats",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'momq.adapter' has no attribute {name!r}")
