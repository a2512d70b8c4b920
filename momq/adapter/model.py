"""MoMQModel: puts the MoMQ adapter into a stock Hugging Face causal LM (Qwen2 or Llama family) and runs it.

What is here: replacing the target ``nn.Linear`` modules with our layers, freezing everything else, feeding
dialect ids and the padding mask to every MoE layer through a forward pre-hook and a shared context (for
``forward`` and ``generate``, KV cache included), the losses returned with the output, saving and loading the
adapter alone, and merging. What is not here: any change to transformers' code, training loops, data
collation or prompts.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

import torch
from torch import nn
from transformers.modeling_outputs import CausalLMOutputWithPast

from momq.adapter.config import BalanceScope, Dispatch, MoMQConfig, Routing
from momq.adapter.layer import LoRALinear, MoELoRALinear
from momq.adapter.losses import balance_loss, dialect_router_loss, lm_loss
from momq.adapter.routing import LayerRecord, RoutingContext

log = logging.getLogger(__name__)

#: Hugging Face ``config.model_type`` values whose decoder layout we know (SmolLM2 is "llama").
SUPPORTED_MODEL_TYPES: frozenset[str] = frozenset({"qwen2", "llama"})

ADAPTER_WEIGHTS = "adapter.safetensors"
ADAPTER_CONFIG = "adapter_config.json"

DialectIds = torch.Tensor | Sequence[int | str] | int | str | None


class UnsupportedModelError(ValueError):
    """The base model is not of a family the adapter supports."""


#: Per supported family: where its RMSNorm class lives (imported lazily), for ``train_norms``.
_NORM_CLASS: dict[str, tuple[str, str]] = {
    "qwen2": ("transformers.models.qwen2.modeling_qwen2", "Qwen2RMSNorm"),
    "llama": ("transformers.models.llama.modeling_llama", "LlamaRMSNorm"),
}


def _norm_class(model_type: str) -> type[nn.Module]:
    module, name = _NORM_CLASS[model_type]
    return getattr(importlib.import_module(module), name)


@dataclasses.dataclass
class MoMQOutput(CausalLMOutputWithPast):
    """The base model's output plus the loss parts; ``loss`` = lm + drl_coef * drl + balance_coef * balance."""

    lm_loss: torch.Tensor | None = None
    drl_loss: torch.Tensor | None = None
    balance_loss: torch.Tensor | None = None
    #: One record per MoE layer (router logits and chosen experts), in layer order.
    routing: list[LayerRecord] | None = None


class MoMQModel(nn.Module):
    """A Hugging Face causal LM with the MoMQ adapter injected. The base model is modified in place."""

    def __init__(self, base_model: nn.Module, config: MoMQConfig):
        super().__init__()
        hf_config = getattr(base_model, "config", None)
        model_type = getattr(hf_config, "model_type", None)
        if model_type not in SUPPORTED_MODEL_TYPES:
            raise UnsupportedModelError(
                f"model type {model_type!r} ({type(base_model).__name__}) is not supported; "
                f"supported: {', '.join(sorted(SUPPORTED_MODEL_TYPES))}"
            )
        self.base = base_model
        self.momq_config = config
        self.context = RoutingContext()
        self._inject(model_type)
        self._hook = self.base.register_forward_pre_hook(self._capture_inputs, with_kwargs=True)

    # construction
    def _inject(self, model_type: str) -> None:
        cfg = self.momq_config
        self.base.requires_grad_(False)
        layers = self.base.get_decoder().layers
        found: dict[str, int] = {}
        for index, layer in enumerate(layers):
            for name, module in list(layer.named_modules()):
                leaf = name.rsplit(".", 1)[-1]
                if not isinstance(module, nn.Linear):
                    continue
                if leaf in cfg.lora_targets or (leaf == cfg.moe_target and not cfg.has_experts):
                    new: nn.Module = LoRALinear(module, cfg.r, cfg.alpha, cfg.dropout)
                elif leaf == cfg.moe_target:
                    new = MoELoRALinear(module, cfg, index, self.context)
                else:
                    continue
                parent = layer.get_submodule(name.rsplit(".", 1)[0]) if "." in name else layer
                setattr(parent, leaf, new)
                found[leaf] = found.get(leaf, 0) + 1
        missing = [t for t in (*cfg.lora_targets, cfg.moe_target) if t not in found]
        if missing:
            raise ValueError(f"target modules not found in the decoder layers: {missing}")
        if cfg.train_norms:
            norm_class = _norm_class(model_type)
            for module in self.base.modules():
                if isinstance(module, norm_class):
                    module.requires_grad_(True)
        for module in self.adapter_layers():
            for pname, p in module.named_parameters(recurse=True):
                if not pname.startswith("base."):
                    p.requires_grad_(True)
        log.info(
            "MoMQ adapter: %d trainable of %d parameters (%s routing, E=%d)",
            sum(p.numel() for p in self.parameters() if p.requires_grad),
            sum(p.numel() for p in self.parameters()),
            cfg.routing.value,
            cfg.num_experts if cfg.has_experts else 0,
        )

    def adapter_layers(self) -> Iterator[LoRALinear | MoELoRALinear]:
        for module in self.base.modules():
            if isinstance(module, (LoRALinear, MoELoRALinear)):
                yield module

    def moe_layers(self) -> list[MoELoRALinear]:
        return [m for m in self.base.modules() if isinstance(m, MoELoRALinear)]

    def trainable_state_dict(self) -> dict[str, torch.Tensor]:
        """The adapter's parameters (and the norms when trained), keyed by their names in the base model."""
        return {n: p for n, p in self.base.named_parameters() if p.requires_grad}

    def set_dispatch(self, dispatch: Dispatch | str) -> None:
        dispatch = Dispatch(dispatch) if not isinstance(dispatch, Dispatch) else dispatch
        self.momq_config.dispatch = dispatch
        for m in self.moe_layers():
            m.dispatch = dispatch

    def set_routing(self, routing: Routing | str) -> None:
        """Switch the routing mode of every MoE layer (e.g. soft-trained experts served with known routing)."""
        routing = Routing(routing) if not isinstance(routing, Routing) else routing
        if not self.momq_config.has_experts or routing is Routing.LORA:
            raise ValueError("routing can only be switched between the modes with experts (soft, hard, known, none)")
        has_router = all(m.router_dialect is not None for m in self.moe_layers())
        if routing in (Routing.SOFT, Routing.HARD) and not has_router:
            raise ValueError(f"routing {routing.value!r} needs a dialect router; this adapter has none")
        if routing in (Routing.HARD, Routing.KNOWN) and self.momq_config.top_k > self.momq_config.experts_per_dialect:
            raise ValueError(f"routing {routing.value!r} picks within one group, but top_k "
                             f"{self.momq_config.top_k} exceeds experts_per_dialect")
        self.momq_config.routing = routing
        for m in self.moe_layers():
            m.routing = routing

    # dialect ids
    def dialect_tensor(self, dialect_ids: DialectIds, batch: int, device: torch.device) -> torch.Tensor | None:
        """[batch] long tensor of dialect ids from names or ints; one value applies to every sequence."""
        cfg = self.momq_config
        if dialect_ids is None:
            return None
        if isinstance(dialect_ids, (str, int)) and not isinstance(dialect_ids, bool):
            dialect_ids = [dialect_ids] * batch
        if isinstance(dialect_ids, torch.Tensor):
            ids = dialect_ids.reshape(-1).to(device=device, dtype=torch.long)
            if ids.device.type == "cpu" and ids.numel() and (ids.min() < 0 or ids.max() >= cfg.num_dialects):
                raise ValueError(f"dialect ids must be in [0, {cfg.num_dialects}), got {ids.tolist()}")
        else:
            values = []
            for d in dialect_ids:
                if isinstance(d, str):
                    values.append(cfg.dialect_id(d))
                elif isinstance(d, int) and not isinstance(d, bool) and 0 <= d < cfg.num_dialects:
                    values.append(d)
                else:
                    raise ValueError(
                        f"dialect id {d!r} is neither a dialect name nor an int in [0, {cfg.num_dialects})"
                    )
            ids = torch.tensor(values, dtype=torch.long, device=device)
        if ids.shape[0] != batch:
            raise ValueError(f"got {ids.shape[0]} dialect ids for a batch of {batch} sequences")
        return ids

    def _capture_inputs(self, module, args, kwargs):
        """Forward pre-hook on the base model: record the padding mask and the KV-cache length of this call."""
        ctx = self.context
        input_ids = kwargs.get("input_ids", args[0] if args else None)
        embeds = kwargs.get("inputs_embeds")
        length = input_ids.shape[1] if input_ids is not None else embeds.shape[1]
        mask = kwargs.get("attention_mask", args[1] if len(args) > 1 else None)
        ctx.attention_mask = mask if isinstance(mask, torch.Tensor) and mask.dim() == 2 else None
        if ctx.attention_mask is not None:
            ctx.past_len = ctx.attention_mask.shape[1] - length
        else:
            cache = kwargs.get("cache", kwargs.get("past_key_values"))
            ctx.past_len = int(cache.get_seq_length()) if cache is not None and hasattr(cache, "get_seq_length") else 0
        if ctx.past_len == 0:
            ctx.hard_groups = {}
        return None

    def _check_known(self, ids: torch.Tensor | None) -> None:
        if self.momq_config.routing is Routing.KNOWN and ids is None:
            raise ValueError("routing 'known' needs dialect_ids")

    # running
    def forward(
        self,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        dialect_ids: DialectIds = None,
        **kwargs,
    ) -> MoMQOutput:
        cfg = self.momq_config
        ref = input_ids if input_ids is not None else kwargs["inputs_embeds"]
        ids = self.dialect_tensor(dialect_ids, ref.shape[0], ref.device)
        self._check_known(ids)
        ctx = self.context
        ctx.dialect_ids, ctx.collect, ctx.records = ids, True, []
        try:
            out = self.base(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
            records = list(ctx.records)
        finally:
            ctx.dialect_ids, ctx.collect, ctx.records = None, False, []
        mask = attention_mask if attention_mask is not None and attention_mask.dim() == 2 else None
        mask = mask[:, mask.shape[1] - ref.shape[1] :] if mask is not None else None
        keep = kwargs.get("logits_to_keep")
        if labels is not None and isinstance(keep, int) and 0 < keep < labels.shape[1]:
            # logits exist for the last ``keep`` positions only: score the labels of that window
            labels = labels[:, -keep:]
        lm = lm_loss(out.logits, labels) if labels is not None else None
        drl = bal = None
        if records and records[0].dialect_logits is not None and ids is not None:
            drl = dialect_router_loss(
                [r.dialect_logits for r in records], ids, mask, label_smoothing=cfg.drl_label_smoothing
            )
        if records:
            bal = balance_loss(
                [r.expert_logits for r in records],
                cfg.top_k,
                mask,
                experts_per_group=cfg.experts_per_dialect if cfg.balance_scope is BalanceScope.GROUP else None,
            )
        loss = None
        if lm is not None:
            loss = lm
            if drl is not None:
                loss = loss + cfg.drl_coef * drl
            if bal is not None:
                loss = loss + cfg.balance_coef * bal
        fields = {f.name: getattr(out, f.name, None) for f in dataclasses.fields(CausalLMOutputWithPast)}
        fields.update(loss=loss, lm_loss=lm, drl_loss=drl, balance_loss=bal, routing=records or None)
        return MoMQOutput(**fields)

    @torch.no_grad()
    def generate(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        dialect_ids: DialectIds = None,
        records: list[LayerRecord] | None = None,
        **kwargs,
    ) -> torch.Tensor:
        """``base.generate`` with dialect ids given per sequence (broadcast over the new tokens).

        When ``records`` is a list, every MoE layer's record of every decoding step is appended to it.
        """
        ids = self.dialect_tensor(dialect_ids, input_ids.shape[0], input_ids.device)
        self._check_known(ids)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        ctx = self.context
        ctx.dialect_ids, ctx.collect, ctx.records = ids, records is not None, []
        try:
            out = self.base.generate(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
            if records is not None:
                records.extend(ctx.records)
        finally:
            ctx.dialect_ids, ctx.collect, ctx.records, ctx.hard_groups = None, False, [], {}
        return out

    # merging
    def merge(self) -> None:
        """Fold every plain LoRA and the shared experts into the base weights; routed experts stay separate."""
        for m in self.adapter_layers():
            m.merge()

    def unmerge(self) -> None:
        for m in self.adapter_layers():
            m.unmerge()

    @property
    def merged(self) -> bool:
        return any(getattr(m, "merged", False) or getattr(m, "shared_merged", False) for m in self.adapter_layers())

    # persistence
    def save_adapter(self, directory: str | Path) -> Path:
        """Write the adapter (safetensors, trainable parameters only) and its config (JSON) to ``directory``."""
        from safetensors.torch import save_file

        if self.merged:
            raise RuntimeError("unmerge() the adapter before saving it: merged weights live in the base model")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        state = {n: p.detach().contiguous().cpu() for n, p in self.trainable_state_dict().items()}
        save_file(state, str(directory / ADAPTER_WEIGHTS), metadata={"format": "momq"})
        self.momq_config.to_json(directory / ADAPTER_CONFIG)
        return directory


def inject(base_model: nn.Module, config: MoMQConfig) -> MoMQModel:
    """Wrap ``base_model`` (modified in place) with a fresh MoMQ adapter."""
    return MoMQModel(base_model, config)


def load_adapter(base_model: nn.Module, directory: str | Path) -> MoMQModel:
    """Inject the saved adapter's config into ``base_model`` and load its weights (strict on names and shapes)."""
    from safetensors.torch import load_file

    directory = Path(directory)
    config = MoMQConfig.from_json(directory / ADAPTER_CONFIG)
    model = MoMQModel(base_model, config)
    state = load_file(str(directory / ADAPTER_WEIGHTS))
    params = model.trainable_state_dict()
    missing, unexpected = sorted(set(params) - set(state)), sorted(set(state) - set(params))
    if missing or unexpected:
        raise ValueError(f"adapter in {directory} does not fit this model: missing {missing}, unexpected {unexpected}")
    with torch.no_grad():
        for name, p in params.items():
            if state[name].shape != p.shape:
                raise ValueError(f"adapter tensor {name}: shape {tuple(state[name].shape)} != {tuple(p.shape)}")
            p.copy_(state[name].to(p.device, p.dtype))
    return model
