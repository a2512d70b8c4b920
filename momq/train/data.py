"""Training data: benchmark items -> token ids with prompt-masked labels -> padded batches with dialect ids.

An example is the item's prompt (``BenchmarkBuild.prompt`` under the token budget, the same function evaluation
and serving use), tokenised as prefix ids + suffix ids by :func:`momq.infer.generate.encode_prompt`, the generator's own
encoding (so the token boundary at the schema/question seam is the same at generation time), followed by the answer: the gold query,
a closing code fence and the end-of-sequence token. Labels are -100 on the prompt, so the loss is on the query
tokens only. The collator pads either on the left with ``logits_to_keep`` = the longest answer + 1 (the model
then computes logits only where there are labels) or, for the naive recipe, on the right to the longest
sequence. This module does not choose or load models and does not run the optimiser.
"""

from __future__ import annotations

import dataclasses
import logging
import random
from collections import Counter
from typing import Any, Sequence

from momq.bench.dataset import BenchmarkBuild
from momq.bench.records import BenchItem
from momq.dialects.prompt import TokenBudget, hf_token_counter
from momq.infer.generate import encode_prompt

log = logging.getLogger(__name__)

IGNORE_INDEX = -100
CLOSING_FENCE = "\n```"


def answer_text(query: str) -> str:
    """What the model learns to write after the prompt's opened fence: the query, then the closing fence."""
    return query.strip() + CLOSING_FENCE


def select_items(items: Sequence[BenchItem], max_examples: int | None, seed: int) -> list[BenchItem]:
    """At most ``max_examples`` items, a seeded sample that keeps each dialect's share (rounded)."""
    if max_examples is None or len(items) <= max_examples:
        return list(items)
    rng = random.Random(seed)
    by_dialect: dict[str, list[BenchItem]] = {}
    for it in items:
        by_dialect.setdefault(it.dialect, []).append(it)
    chosen: list[BenchItem] = []
    for dialect, group in by_dialect.items():
        share = max(1, round(max_examples * len(group) / len(items)))
        chosen += rng.sample(group, min(share, len(group)))
    order = {it.id: k for k, it in enumerate(items)}
    return sorted(chosen, key=lambda it: order[it.id])[:max_examples] if len(chosen) > max_examples else \
        sorted(chosen, key=lambda it: order[it.id])


@dataclasses.dataclass
class EncodedDataset:
    """Token-id examples (a ``torch.utils.data.Dataset`` by duck typing: ``len`` and integer indexing)."""

    examples: list[dict[str, Any]]
    dropped: dict[str, int]

    def __len__(self) -> int:
        return len(self.examples)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.examples[index]

    def dialect_counts(self) -> dict[str, int]:
        return dict(Counter(ex["dialect"] for ex in self.examples))

    def total_tokens(self) -> int:
        return sum(len(ex["input_ids"]) for ex in self.examples)


def encode_items(build: BenchmarkBuild, items: Sequence[BenchItem], tokenizer: Any, dialects: Sequence[str],
                 prompt_tokens: int, max_answer_tokens: int) -> EncodedDataset:
    """Tokenise ``items`` (dialect ids are positions in ``dialects``, the adapter's dialect order)."""
    budget = TokenBudget(prompt_tokens, hf_token_counter(tokenizer))
    eos = tokenizer.eos_token_id
    examples: list[dict[str, Any]] = []
    dropped: Counter[str] = Counter()
    for index, item in enumerate(items):
        if item.dialect not in dialects:
            raise ValueError(f"item {item.id}: dialect {item.dialect!r} is not one of the adapter's {list(dialects)}")
        try:
            prefix, suffix = encode_prompt(tokenizer, build.prompt(item, budget))
        except ValueError as exc:  # PromptBudgetError: not even one table fits
            dropped["prompt_over_budget"] += 1
            log.debug("dropped %s: %s", item.id, exc)
            continue
        answer = tokenizer(answer_text(item.query), add_special_tokens=False)["input_ids"]
        answer = list(answer) + ([eos] if eos is not None else [])
        if len(answer) > max_answer_tokens:
            dropped["answer_too_long"] += 1
            continue
        prompt = prefix + suffix
        examples.append({
            "input_ids": prompt + answer,
            "prompt_len": len(prompt),
            "dialect_id": dialects.index(item.dialect),
            "dialect": item.dialect,
            "example_index": index,
            "item_id": item.id,
        })
    if dropped:
        log.warning("dropped %d of %d examples: %s", sum(dropped.values()), len(items), dict(dropped))
    return EncodedDataset(examples, dict(dropped))


@dataclasses.dataclass
class Collator:
    """Pads a list of examples into a batch for :class:`momq.adapter.MoMQModel`.

    ``efficient``: left padding and ``logits_to_keep`` (logits only over the answer window); otherwise right
    padding and full logits. Labels are -100 on prompt and padding positions either way. ``example_index`` is
    passed through so the trainer can record the data order.
    """

    pad_token_id: int
    efficient: bool = True

    def __call__(self, batch: Sequence[dict[str, Any]]) -> dict[str, Any]:
        import torch

        width = max(len(ex["input_ids"]) for ex in batch)
        ids = torch.full((len(batch), width), self.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        labels = torch.full((len(batch), width), IGNORE_INDEX, dtype=torch.long)
        longest_answer = 0
        for row, ex in enumerate(batch):
            seq, n_prompt = ex["input_ids"], ex["prompt_len"]
            start = width - len(seq) if self.efficient else 0
            ids[row, start:start + len(seq)] = torch.tensor(seq)
            mask[row, start:start + len(seq)] = 1
            labels[row, start + n_prompt:start + len(seq)] = torch.tensor(seq[n_prompt:])
            longest_answer = max(longest_answer, len(seq) - n_prompt)
        out = {
            "input_ids": ids,
            "attention_mask": mask,
            "labels": labels,
            "dialect_ids": torch.tensor([ex["dialect_id"] for ex in batch], dtype=torch.long),
            "example_index": torch.tensor([ex["example_index"] for ex in batch], dtype=torch.long),
        }
        if self.efficient:
            # the window must also hold the position before the first answer token (it predicts that token)
            out["logits_to_keep"] = min(width, longest_answer + 1)
        return out


__all__ = ["CLOSING_FENCE", "Collator", "EncodedDataset", "IGNORE_INDEX", "answer_text", "encode_items",
           "select_items"]
