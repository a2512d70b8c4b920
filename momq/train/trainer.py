"""Training on transformers' Trainer: the MoMQ losses logged apart, adapter-only checkpoints, exact resume.

``train(config)`` opens the build, tokenises the examples, loads the base with the configured adapter and runs
:class:`MoMQTrainer` (a ``transformers.Trainer``; distribution, DeepSpeed, bf16 autocast, the progress bar, the
schedule and checkpoint rotation are the library's). Ours are: the loss parts (LM, dialect router, balance)
averaged into every log line; the data order written to ``data_order.jsonl`` (one line per micro-batch with
its example indices), so a resumed run can be checked against an uninterrupted one; checkpoints that hold the
adapter and the trainer state but not the frozen base (``_save`` / ``_load_from_checkpoint``); and tokens per
second. A run in a folder that already has checkpoints resumes from the last one. This module does not build
prompts (``momq.bench.dataset``), encode data (``momq.train.data``) or score queries (``momq.evaluate``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from momq.train.config import TrainConfig

log = logging.getLogger(__name__)

CONFIG_FILE = "train_config.yaml"
SUMMARY_FILE = "train_summary.json"
ORDER_FILE = "data_order.jsonl"
ADAPTER_DIR = "adapter"


class RunFolderError(ValueError):
    """The output folder holds files that are not a momq training run."""


def _trainer_class():
    from transformers import Trainer

    class MoMQTrainer(Trainer):
        """transformers' Trainer for :class:`momq.adapter.MoMQModel`: loss parts, data order, adapter checkpoints."""

        def __init__(self, *args: Any, order_file: Path | None = None, **kwargs: Any):
            super().__init__(*args, **kwargs)
            # our model averages its loss over the micro-batch: let the Trainer divide by accumulation steps
            self.model_accepts_loss_kwargs = False
            self.order_file = order_file
            self.tokens_seen = 0
            self._parts: dict[str, float] = {}
            self._parts_n = 0

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            inputs = dict(inputs)
            order = inputs.pop("example_index", None)
            if order is not None and self.order_file is not None and model.training and self.args.should_save:
                with self.order_file.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"step": self.state.global_step, "examples": order.tolist()}) + "\n")
            self.tokens_seen += int(inputs["attention_mask"].sum())
            out = model(**inputs)
            for name in ("lm_loss", "drl_loss", "balance_loss"):
                value = getattr(out, name, None)
                if value is not None:
                    self._parts[name] = self._parts.get(name, 0.0) + float(value.detach())
            self._parts_n += 1
            return (out.loss, out) if return_outputs else out.loss

        def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
            if self._parts_n and "loss" in logs:
                for name, total in self._parts.items():
                    logs[name] = round(total / self._parts_n, 4)
                self._parts, self._parts_n = {}, 0
            super().log(logs, start_time)

        def _save(self, output_dir: str | None = None, state_dict: dict | None = None) -> None:
            output_dir = output_dir if output_dir is not None else self.args.output_dir
            if self.args.should_save:
                self.accelerator.unwrap_model(self.model).save_adapter(output_dir)

        def _load_from_checkpoint(self, resume_from_checkpoint: str, model=None) -> None:
            from safetensors.torch import load_file

            from momq.adapter.model import ADAPTER_WEIGHTS

            target = self.accelerator.unwrap_model(model if model is not None else self.model)
            state = load_file(os.path.join(resume_from_checkpoint, ADAPTER_WEIGHTS))
            params = target.trainable_state_dict()
            if set(state) != set(params):
                raise RunFolderError(f"{resume_from_checkpoint}: the checkpoint does not fit this adapter")
            import torch

            with torch.no_grad():
                for name, p in params.items():
                    p.copy_(state[name].to(p.device, p.dtype))

    return MoMQTrainer


@dataclasses.dataclass
class TrainResult:
    output_dir: Path
    adapter_dir: Path
    steps: int
    examples: int
    trainable_params: int
    train_seconds: float
    tokens_per_second: float
    final_loss: float | None
    log_history: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["output_dir"], out["adapter_dir"] = str(self.output_dir), str(self.adapter_dir)
        return out


def check_run_folder(folder: Path) -> None:
    """Refuse a non-empty folder that is not a momq training run (it may hold a user's files)."""
    if folder.exists() and not folder.is_dir():
        raise RunFolderError(f"{folder}: exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / CONFIG_FILE).is_file():
        raise RunFolderError(f"{folder}: not empty and not a momq training run (no {CONFIG_FILE}); "
                             "choose another output_dir")


def last_checkpoint(folder: Path) -> str | None:
    from transformers.trainer_utils import get_last_checkpoint

    return get_last_checkpoint(str(folder)) if folder.is_dir() else None


def training_arguments(config: TrainConfig, **overrides: Any):
    """transformers' TrainingArguments for ``config`` (CPU when no accelerator is visible)."""
    import torch
    from transformers import TrainingArguments

    on_cpu = not torch.cuda.is_available()
    kwargs: dict[str, Any] = dict(
        output_dir=config.output_dir,
        per_device_train_batch_size=config.batch_size,
        gradient_accumulation_steps=config.grad_accum,
        learning_rate=config.learning_rate,
        weight_decay=config.weight_decay,
        adam_beta2=config.adam_beta2,
        warmup_steps=config.warmup_ratio,  # a float < 1 is a fraction of the total steps
        lr_scheduler_type="cosine",
        num_train_epochs=config.epochs,
        max_steps=config.max_steps,
        logging_steps=config.logging_steps,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=config.save_total_limit,
        seed=config.seed,
        data_seed=config.seed,
        bf16=config.bf16,
        use_cpu=on_cpu,
        remove_unused_columns=False,
        report_to="none",
        dataloader_num_workers=0,
        deepspeed=config.deepspeed,
        train_sampling_strategy="group_by_length" if config.efficient else "random",
        save_only_model=False,
    )
    kwargs.update(overrides)
    return TrainingArguments(**kwargs)


def prepare(config: TrainConfig, model_bundle: tuple | None = None):
    """(model, tokenizer, dataset, trainable count) for ``config``: build opened, examples encoded, model built."""
    from momq.bench.dataset import open_build
    from momq.train.data import encode_items, select_items
    from momq.train.model import build_model

    build = open_build(config.build)
    items = build.items(config.split, preset=config.preset, dialects=config.train_dialects)
    items = select_items(items, config.max_examples, config.seed)
    if not items:
        raise ValueError(f"{config.build}: no {config.split} items for dialects {list(config.train_dialects)}")
    if model_bundle is None:
        model, tokenizer, count = build_model(config)
    else:
        model, tokenizer = model_bundle
        count = sum(p.numel() for p in model.parameters() if p.requires_grad)
    dataset = _cached_encoding(config, lambda: encode_items(build, items, tokenizer, model.momq_config.dialects,
                                                            config.prompt_tokens, config.max_answer_tokens))
    if not len(dataset):
        raise ValueError("every example was dropped (see the log): raise prompt_tokens or max_answer_tokens")
    return model, tokenizer, dataset, count


ENCODED_FILE = "encoded.json"
#: the fields that decide the encoded examples (tokenizer = the base model)
_ENCODING_FIELDS = ("base_model", "build", "split", "preset", "dialects", "max_examples", "seed", "prompt_tokens",
                    "max_answer_tokens", "variant")


def _cached_encoding(config: TrainConfig, encode: Callable[[], Any]):
    """The encoded examples, from ``<output_dir>/encoded.json`` when it was made for the same data settings
    (fitting thousands of prompts to the budget takes minutes; a resumed run should not pay it again)."""
    from momq.train.data import EncodedDataset

    path = Path(config.output_dir) / ENCODED_FILE
    key = {k: v for k, v in config.to_dict().items() if k in _ENCODING_FIELDS}
    if path.is_file():
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
            if cached.get("key") == key:
                return EncodedDataset(cached["examples"], cached["dropped"])
        except (json.JSONDecodeError, KeyError, TypeError):
            log.warning("%s: unreadable, encoding again", path)
    dataset = encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"key": key, "examples": dataset.examples, "dropped": dataset.dropped}),
                    encoding="utf-8")
    return dataset


def train(config: TrainConfig, *, model_bundle: tuple | None = None, callbacks: Sequence[Any] = (),
          stop_after_steps: int | None = None, resume: bool = True,
          dev_eval: Callable[[Any, int], dict[str, float]] | None = None) -> TrainResult:
    """Train (or resume) the run in ``config.output_dir`` and save the adapter into ``<output_dir>/adapter``.

    ``model_bundle`` = (MoMQModel, tokenizer) replaces loading the configured base (tests use tiny models).
    ``stop_after_steps`` ends the run early after a checkpoint at that step, as a kill would (tests).
    ``dev_eval(model, step)`` is called every ``config.eval_steps`` steps and its metrics are logged.
    """
    import torch

    from momq.train.data import Collator

    out = Path(config.output_dir)
    check_run_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    config.to_yaml(out / CONFIG_FILE)
    if config.threads:
        torch.set_num_threads(config.threads)
    from transformers import set_seed

    set_seed(config.seed)  # the adapter's initialisation is part of the run: same seed, same starting point
    model, tokenizer, dataset, count = prepare(config, model_bundle)
    log.info("training %s on %d examples (%s), %d trainable parameters, %d tokens per epoch",
             config.variant.value, len(dataset), dataset.dialect_counts(), count, dataset.total_tokens())
    resume_from = last_checkpoint(out) if resume else None
    if resume_from:
        log.info("resuming from %s", resume_from)
        _truncate_order(out / ORDER_FILE, int(Path(resume_from).name.rsplit("-", 1)[-1]))
    elif (out / ORDER_FILE).exists():
        (out / ORDER_FILE).unlink()  # a fresh start: the old order belongs to a discarded run
    all_callbacks = list(callbacks)
    if stop_after_steps is not None:
        all_callbacks.append(_stop_callback(stop_after_steps))
    if config.eval_steps:
        all_callbacks.append(_dev_eval_callback(dev_eval or dev_evaluator(config, tokenizer), config.eval_steps))
    args = training_arguments(config)
    trainer = _trainer_class()(
        model=model, args=args, train_dataset=dataset, data_collator=Collator(tokenizer.pad_token_id, config.efficient),
        processing_class=tokenizer, callbacks=all_callbacks, order_file=out / ORDER_FILE,
    )
    t0 = time.monotonic()
    result = trainer.train(resume_from_checkpoint=resume_from)
    seconds = time.monotonic() - t0
    adapter_dir = out / ADAPTER_DIR
    finished = stop_after_steps is None or trainer.state.global_step < stop_after_steps
    if finished:
        model.save_adapter(adapter_dir)
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    summary = TrainResult(
        output_dir=out, adapter_dir=adapter_dir, steps=trainer.state.global_step, examples=len(dataset),
        trainable_params=count, train_seconds=round(seconds, 1),
        tokens_per_second=round(trainer.tokens_seen / seconds, 1) if seconds > 0 else 0.0,
        final_loss=losses[-1] if losses else float(result.training_loss),
        log_history=trainer.state.log_history,
    )
    if finished:
        (out / SUMMARY_FILE).write_text(json.dumps(summary.to_dict(), indent=2) + "\n", encoding="utf-8")
    return summary


def dev_evaluator(config: TrainConfig, tokenizer: Any, engines: Any = None) -> Callable[[Any, int], dict[str, float]]:
    """EX and validity on a seeded sample of the dev split (``eval_samples`` items over the trained dialects),
    generated with the model being trained and scored on ``engines`` (default: the running local servers)."""

    def run(model: Any, step: int) -> dict[str, float]:
        from momq.evaluate.run import EvalConfig, evaluate

        dialects = config.train_dialects
        cfg = EvalConfig(build=config.build, split="dev", dialects=dialects, seed=config.seed,
                         max_items=max(1, config.eval_samples // len(dialects)), prompt_tokens=config.prompt_tokens,
                         batch_size=config.batch_size, max_new_tokens=config.max_answer_tokens)
        summary = evaluate(cfg, model_bundle=(model, tokenizer), engines=engines, progress=False).summary
        out = {"ex": summary["overall"]["ex"], "valid": summary["overall"]["valid_rate"]}
        out.update({f"ex_{d}": row["ex"] for d, row in summary["per_dialect"].items()})
        return out

    return run


def _truncate_order(path: Path, step: int) -> None:
    """Keep the data-order lines of steps before ``step`` (a killed run may have logged steps it never saved)."""
    if not path.is_file():
        return
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    kept = [ln for ln in lines if json.loads(ln)["step"] < step]
    path.write_text("".join(ln + "\n" for ln in kept), encoding="utf-8")


def _stop_callback(step: int):
    from transformers import TrainerCallback

    class StopAt(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step >= step:
                control.should_save = True
                control.should_training_stop = True
            return control

    return StopAt()


def _dev_eval_callback(dev_eval: Callable[[Any, int], dict[str, float]], every: int):
    from transformers import TrainerCallback

    class DevEval(TrainerCallback):
        def on_step_end(self, args, state, control, model=None, **kwargs):
            if state.global_step % every == 0 and model is not None:
                was_training = model.training
                model.eval()
                try:
                    metrics = dev_eval(model, state.global_step)
                finally:
                    model.train(was_training)
                state.log_history.append({"step": state.global_step, **{f"dev_{k}": v for k, v in metrics.items()}})
                log.info("step %d dev: %s", state.global_step, metrics)
            return control

    return DevEval()


__all__ = ["ADAPTER_DIR", "CONFIG_FILE", "ORDER_FILE", "RunFolderError", "SUMMARY_FILE", "TrainResult",
           "check_run_folder", "dev_evaluator", "last_checkpoint", "prepare", "train", "training_arguments"]
