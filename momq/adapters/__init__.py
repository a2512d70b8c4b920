"""Adapters shipped with momq, one folder each (weights, config, model card); see ``momq.train.ship``.

``shipped_adapter()`` is the folder of the default adapter, the one ``momq ask`` and ``momq card`` use when no
other is named. This package holds data only.
"""

from __future__ import annotations

from pathlib import Path

#: The default shipped adapter (for the offline base SmolLM2-135M-Instruct).
DEFAULT_ADAPTER = "smollm2-135m-momq"


def shipped_adapter(name: str = DEFAULT_ADAPTER) -> Path:
    return Path(__file__).resolve().parent / name
