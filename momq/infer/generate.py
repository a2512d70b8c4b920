"""Batched greedy generation with shared-prefix KV reuse, for evaluation and serving.

What is here: :func:`encode_prompt` (the one way a :class:`~momq.dialects.prompt.PromptParts` becomes token ids:
``ids(prefix) + ids(suffix)``, BOS explicit, so training, evaluation and serving see the same ids), the stopping
rule "the answer closed its code fence" (:class:`FenceStop`, per sequence), and :class:`Generator`, which

- groups requests by prompt prefix (and dialect), sorts each group by suffix length and cuts batches of
  ``batch_size`` (a batch may span two groups; every row keeps its own prefix), returning results in input order;
- computes each prefix's KV cache once (one batch-1 forward over the prefix tokens) and starts every batch from
  those caches: row i sees ``[pad] + prefix_i + [pad] + suffix_i`` with the mask zero on the pads, so positions
  (the mask's cumulative sum, as transformers' ``generate`` derives them) and attended tokens are exactly those of
  the unpadded prompt; the prefix caches are copied into a new cache per batch and never written to;
- runs transformers' ``generate`` greedily (``do_sample=False``) on a plain causal LM or through
  :meth:`MoMQModel.generate <momq.adapter.model.MoMQModel.generate>` with per-sequence dialect ids;
- optionally feeds :class:`~momq.adapter.stats.RoutingStats` with every forward's routing records, padding and
  finished rows masked, the shared prefix counted once per item that uses it (so statistics do not depend on
  prefix reuse or batch composition).

With ``GeneratorConfig.constrain`` every row is kept inside its dialect's grammar over its request's database
(:mod:`momq.constrain`; a logits processor per batch, so batching, prefix reuse and stops are unchanged).

What is deliberately not here: sampling or beam search, grammars themselves, query extraction or
execution (``momq.dialects.prompt.extract_query``, the engines), prompt building, and shrinking a running batch:
transformers' ``generate`` keeps a finished row in the batch (it decodes pad tokens for it) until the last row of
its batch is done; batches of similar suffix length from one schema keep that waste small.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import torch

log = logging.getLogger(__name__)

FENCE = "```"


# ----------------------------------------------------------------------------------------------- requests / results
@dataclasses.dataclass(frozen=True)
class GenerationRequest:
    """One prompt as its shared ``prefix`` (instruction + schema) and its ``suffix`` (question + opened fence)."""

    prefix: str
    suffix: str
    dialect: str
    #: The request's database definition; needed when decoding is grammar-constrained.
    database: Any = dataclasses.field(default=None, compare=False, repr=False)

    @classmethod
    def from_parts(cls, parts: Any, dialect: str, database: Any = None) -> GenerationRequest:
        """From a :class:`~momq.dialects.prompt.PromptParts`."""
        return cls(parts.prefix, parts.suffix, dialect, database)


@dataclasses.dataclass(frozen=True)
class Generation:
    """The answer to one request."""

    #: The decoded new tokens up to and including the stop (special tokens skipped).
    text: str
    #: How many tokens were generated for this request (the closing fence or EOS token included).
    new_tokens: int
    #: True when the answer closed its code fence or emitted EOS; False when it ran into ``max_new_tokens``.
    stopped: bool
    #: "fence", "eos" or "length".
    reason: str
    #: Wall time of the batch that produced it (its prefix forward included when that batch computed it).
    seconds: float
    #: The generated token ids (``new_tokens`` of them).
    token_ids: tuple[int, ...] = ()


@dataclasses.dataclass
class GeneratorConfig:
    #: Most new tokens per request.
    max_new_tokens: int = 160
    #: Sequences decoded together.
    batch_size: int = 8
    #: Compute each prompt prefix's KV cache once and reuse it. None: on, except for hard routing (whose group
    #: is pooled over the whole prompt, so a prefix computed alone would change it).
    prefix_reuse: bool | None = None
    #: Stop a sequence once its answer closes the code fence the prompt opened (None: only EOS and length).
    fence: str | None = FENCE
    #: Also stop at the tokenizer's EOS token.
    stop_at_eos: bool = True
    #: Prepend the tokenizer's BOS token to the prefix. None: exactly when the tokenizer itself would add it.
    bos: bool | None = None
    #: Constrain every answer to its dialect's grammar over the request's ``database`` (``momq.constrain``);
    #: the grammar ends with the closing fence, so extraction is unchanged. Needs ``fence`` to be the default.
    constrain: bool = False

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1:
            raise ValueError(f"max_new_tokens must be >= 1, got {self.max_new_tokens}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {self.batch_size}")
        if self.fence is not None and not self.fence:
            raise ValueError("fence must be a non-empty string or None")
        if self.constrain and self.fence != FENCE:
            raise ValueError(f"constrained decoding ends answers with {FENCE!r}: keep fence={FENCE!r}")


# ----------------------------------------------------------------------------------------------- tokens
def tokenizer_adds_bos(tokenizer: Any) -> bool:
    """Whether ``tokenizer(text)`` puts the BOS token in front of the text's own ids."""
    bos = tokenizer.bos_token_id
    if bos is None:
        return False
    with_special = tokenizer("a").input_ids
    plain = tokenizer("a", add_special_tokens=False).input_ids
    return len(with_special) > len(plain) and with_special[0] == bos


def encode_prompt(tokenizer: Any, parts: Any, bos: bool | None = None) -> tuple[list[int], list[int]]:
    """``(prefix_ids, suffix_ids)`` of a prompt; the model sees ``prefix_ids + suffix_ids`` in every mode.

    Prefix and suffix are tokenized separately without special tokens, so the prefix's ids (and its KV cache)
    do not depend on the question. ``bos``: prepend the tokenizer's BOS id to the prefix (None: exactly when the
    tokenizer would add one itself). No EOS is ever appended. Training must tokenize prompts with this function.
    """
    if bos is None:
        bos = tokenizer_adds_bos(tokenizer)
    if bos and tokenizer.bos_token_id is None:
        raise ValueError("bos=True but the tokenizer has no BOS token")
    prefix = list(tokenizer(parts.prefix, add_special_tokens=False).input_ids)
    suffix = list(tokenizer(parts.suffix, add_special_tokens=False).input_ids)
    if bos:
        prefix = [tokenizer.bos_token_id, *prefix]
    if not suffix:
        raise ValueError("the prompt suffix is empty: the question part must produce at least one token")
    return prefix, suffix


def fence_closed(text: str, fence: str = FENCE) -> bool:
    """Whether an answer (the text after the prompt's opened fence) has closed its code block.

    The first ``fence`` closes the block when some text comes before it; an answer that starts with a fence opens
    a block of its own (as :func:`~momq.dialects.prompt.extract_query` reads it), so the second one closes it.
    """
    first = text.find(fence)
    if first < 0:
        return False
    if text[:first].strip():
        return True
    return text.find(fence, first + len(fence)) >= 0


class FenceStop:
    """A per-sequence ``StoppingCriteria`` (duck-typed): True for a row once its new text closes the fence.

    Only rows whose last token contains the fence's last character are decoded, so the check costs almost
    nothing on other steps. ``done_at[i]`` is the number of new tokens row i had when it first stopped.
    """

    def __init__(self, tokenizer: Any, prompt_len: int, fence: str = FENCE, trigger: torch.Tensor | None = None):
        self.tokenizer = tokenizer
        self.prompt_len = prompt_len
        self.fence = fence
        self.trigger = trigger if trigger is not None else trigger_tokens(tokenizer, fence[-1])
        self.done_at: dict[int, int] = {}

    def __call__(self, input_ids: torch.LongTensor, scores: Any = None, **kwargs) -> torch.BoolTensor:
        done = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
        n_new = input_ids.shape[1] - self.prompt_len
        if n_new <= 0:
            return done
        last = input_ids[:, -1].cpu()
        hits = self.trigger[last.clamp(max=len(self.trigger) - 1)] & (last < len(self.trigger))
        for row in range(input_ids.shape[0]):
            if row in self.done_at:
                done[row] = True
            elif bool(hits[row]):
                text = self.tokenizer.decode(input_ids[row, self.prompt_len :].tolist(), skip_special_tokens=True)
                if fence_closed(text, self.fence):
                    self.done_at[row] = n_new
                    done[row] = True
        return done


def trigger_tokens(tokenizer: Any, char: str) -> torch.Tensor:
    """[vocab] bool: the token ids whose decoded text contains ``char``."""
    size = len(tokenizer)
    pieces = tokenizer.batch_decode([[i] for i in range(size)])
    return torch.tensor([char in p for p in pieces], dtype=torch.bool)


# ----------------------------------------------------------------------------------------------- the generator
def _is_momq(model: Any) -> bool:
    from momq.adapter.model import MoMQModel

    return isinstance(model, MoMQModel)


@dataclasses.dataclass
class _Prefix:
    ids: list[int]
    dialect: str
    cache: Any = None  # a batch-1 DynamicCache over ``ids``
    records: list | None = None  # routing records of the prefix forward (MoMQ only, when stats are kept)
    users: int = 0  # requests still to run that use this prefix


class Generator:
    """Greedy batched generation over a loaded causal LM (a ``MoMQModel`` or a plain HF model) and its tokenizer."""

    def __init__(self, model: Any, tokenizer: Any, config: GeneratorConfig | None = None):
        self.model = model
        self.tokenizer = tokenizer
        self.config = config or GeneratorConfig()
        self.momq = _is_momq(model)
        self.base = model.base if self.momq else model
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        if self.pad_id is None:
            raise ValueError("the tokenizer has neither a pad nor an EOS token to pad with")
        self.eos_id = tokenizer.eos_token_id if self.config.stop_at_eos else None
        self.bos = tokenizer_adds_bos(tokenizer) if self.config.bos is None else self.config.bos
        self.prefix_reuse = self._resolve_prefix_reuse()
        self._trigger = trigger_tokens(tokenizer, self.config.fence[-1]) if self.config.fence else None
        self._grammars = None  # a momq.constrain GrammarCache, made on first constrained batch
        self._edges = None

    def _resolve_prefix_reuse(self) -> bool:
        hard = False
        if self.momq:
            from momq.adapter.config import Routing

            hard = self.model.momq_config.routing is Routing.HARD
        wanted = self.config.prefix_reuse
        if wanted is None:
            return not hard
        if wanted and hard:
            raise ValueError("hard routing pools the dialect logits over the whole prompt, so a prefix cache "
                             "computed alone would change the chosen group: use prefix_reuse=False (or None)")
        return wanted

    @property
    def device(self) -> torch.device:
        return next(self.base.parameters()).device

    # pieces shared with the benchmark's baselines
    def encode(self, request: GenerationRequest) -> tuple[list[int], list[int]]:
        """:func:`encode_prompt`; an empty prefix takes the suffix's first token, so that no prefix cache is empty
        (the ids the model sees, prefix + suffix, stay the same)."""
        prefix, suffix = encode_prompt(self.tokenizer, request, bos=self.bos)
        if not prefix:
            if len(suffix) < 2:
                raise ValueError("a prompt without prefix needs at least two tokens")
            prefix, suffix = suffix[:1], suffix[1:]
        return prefix, suffix

    def generate_kwargs(self, prompt_len: int, requests: Sequence[GenerationRequest] = ()
                        ) -> tuple[dict, FenceStop | None]:
        """Keyword arguments for ``generate`` (greedy, our stops, the grammar processor of ``requests`` -- the
        batch's rows in order -- when constrained) and the fence criterion they contain."""
        from transformers import GenerationConfig, LogitsProcessorList, StoppingCriteriaList

        # every field that can change a greedy answer is set explicitly: generate fills the unset (None) ones
        # from the model's own generation config (an empty EOS list, not None, turns EOS stopping off)
        gen_config = GenerationConfig(
            max_new_tokens=self.config.max_new_tokens, min_length=0, do_sample=False, num_beams=1,
            repetition_penalty=1.0, no_repeat_ngram_size=0, pad_token_id=self.pad_id,
            eos_token_id=[self.eos_id] if self.eos_id is not None else [],
            bos_token_id=self.tokenizer.bos_token_id,
        )
        stop = None
        kwargs: dict = {"generation_config": gen_config}
        if self.config.fence:
            stop = FenceStop(self.tokenizer, prompt_len, self.config.fence, self._trigger)
            kwargs["stopping_criteria"] = StoppingCriteriaList([stop])
        if self.config.constrain:
            kwargs["logits_processor"] = LogitsProcessorList([self.grammar_processor(requests, prompt_len)])
        return kwargs, stop

    def grammar_processor(self, requests: Sequence[GenerationRequest], prompt_len: int):
        """A :class:`~momq.constrain.processor.GrammarLogitsProcessor` for one batch of ``requests``."""
        from momq.constrain.compiled import GrammarCache
        from momq.constrain.processor import GrammarLogitsProcessor, TokenEdges

        if not requests:
            raise ValueError("constrained decoding needs the batch's requests")
        missing = [r.dialect for r in requests if r.database is None]
        if missing:
            raise ValueError(f"constrained decoding needs each request's database ({len(missing)} have none)")
        if self._grammars is None:
            self._grammars = GrammarCache(self.tokenizer)
            self._edges = TokenEdges(self.tokenizer)
        return GrammarLogitsProcessor(self._grammars, [(r.dialect, r.database) for r in requests], prompt_len,
                                      self._edges, self.tokenizer)

    def finish(self, row_ids: Sequence[int], stop: FenceStop | None, row: int, seconds: float) -> Generation:
        """Cut one row's new tokens at its stop and decode them."""
        ids = list(row_ids)
        reason, n = "length", len(ids)
        fence_at = stop.done_at.get(row) if stop is not None else None
        eos_at = ids.index(self.eos_id) + 1 if self.eos_id is not None and self.eos_id in ids else None
        if fence_at is not None and (eos_at is None or fence_at <= eos_at):
            reason, n = "fence", fence_at
        elif eos_at is not None:
            reason, n = "eos", eos_at
        ids = ids[:n]
        text = self.tokenizer.decode(ids, skip_special_tokens=True)
        return Generation(text=text, new_tokens=n, stopped=reason != "length", reason=reason, seconds=seconds,
                          token_ids=tuple(ids))

    def run_generate(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, dialects: Sequence[str],
                     records: list | None = None, **kwargs) -> torch.Tensor:
        """``generate`` on the wrapped model: MoMQ gets the dialect ids (and records), a plain model neither."""
        if self.momq:
            return self.model.generate(input_ids=input_ids, attention_mask=attention_mask,
                                       dialect_ids=list(dialects), records=records, **kwargs)
        return self.model.generate(input_ids=input_ids, attention_mask=attention_mask, **kwargs)

    # batching
    def plan(self, encoded: Sequence[tuple[list[int], list[int]]], requests: Sequence[GenerationRequest]
             ) -> list[list[int]]:
        """Batches of request indices: grouped by (prefix, dialect) in order of first appearance, each group
        sorted by suffix length (stable), cut every ``batch_size`` rows."""
        groups: dict[tuple, list[int]] = {}
        for i, (req, (prefix_ids, _)) in enumerate(zip(requests, encoded)):
            key = (tuple(prefix_ids), req.dialect if self.momq else "")
            groups.setdefault(key, []).append(i)
        order: list[int] = []
        for members in groups.values():
            order.extend(sorted(members, key=lambda i: len(encoded[i][1])))
        size = self.config.batch_size
        return [order[k : k + size] for k in range(0, len(order), size)]

    @torch.no_grad()
    def generate(self, requests: Sequence[GenerationRequest], stats: Any | None = None,
                 progress: Callable[[int], None] | None = None) -> list[Generation]:
        """Greedy answers to ``requests``, in their order.

        ``stats``: a :class:`~momq.adapter.stats.RoutingStats` to update (MoMQ models only). ``progress`` is
        called with the number of requests finished after each batch.
        """
        requests = list(requests)
        if not requests:
            return []
        if stats is not None and not self.momq:
            raise ValueError("routing statistics need a MoMQModel")
        was_training = self.model.training
        self.model.eval()
        try:
            encoded = [self.encode(r) for r in requests]
            batches = self.plan(encoded, requests)
            prefixes: dict[tuple, _Prefix] = {}
            if self.prefix_reuse:
                for i, r in enumerate(requests):
                    key = self._prefix_key(encoded[i][0], r.dialect)
                    entry = prefixes.setdefault(key, _Prefix(encoded[i][0], r.dialect))
                    entry.users += 1
            results: list[Generation | None] = [None] * len(requests)
            for batch in batches:
                t0 = time.perf_counter()
                if self.prefix_reuse:
                    out, width, stop, records, keys = self._batch_with_prefix(batch, requests, encoded, prefixes,
                                                                              stats)
                else:
                    out, width, stop, records = self._batch_plain(batch, requests, encoded, stats)
                    keys = None
                seconds = time.perf_counter() - t0
                gens = [self.finish(out[row, width:].tolist(), stop, row, seconds) for row in range(len(batch))]
                for row, i in enumerate(batch):
                    results[i] = gens[row]
                if stats is not None:
                    prefill_lens = [len(encoded[i][1]) + (0 if keys is not None else len(encoded[i][0]))
                                    for i in batch]
                    self._update_stats(stats, batch, requests, gens, records, prefixes, keys, out, prefill_lens)
                if keys is not None:
                    for key in keys:
                        prefixes[key].users -= 1
                        if prefixes[key].users == 0:
                            prefixes[key].cache = prefixes[key].records = None  # free it
                if progress is not None:
                    progress(len(batch))
            return results  # type: ignore[return-value]
        finally:
            self.model.train(was_training)

    def _prefix_key(self, prefix_ids: list[int], dialect: str) -> tuple:
        return (tuple(prefix_ids), dialect if self.momq else "")

    # without prefix reuse: left-padded full prompts, one generate call
    def _batch_plain(self, batch, requests, encoded, stats):
        rows = [encoded[i][0] + encoded[i][1] for i in batch]
        input_ids, mask = left_pad(rows, self.pad_id, self.device)
        kwargs, stop = self.generate_kwargs(input_ids.shape[1], [requests[i] for i in batch])
        records = [] if stats is not None else None
        out = self.run_generate(input_ids, mask, [requests[i].dialect for i in batch], records=records, **kwargs)
        return out, input_ids.shape[1], stop, records

    # with prefix reuse
    def _prefix_cache(self, entry: _Prefix, keep_records: bool) -> None:
        """One batch-1 forward over the prefix; keeps its KV cache (and routing records)."""
        ids = torch.tensor([entry.ids], dtype=torch.long, device=self.device)
        mask = torch.ones_like(ids)
        if self.momq:
            out = self.model(input_ids=ids, attention_mask=mask, dialect_ids=[entry.dialect], use_cache=True,
                             logits_to_keep=1)
            entry.records = list(out.routing or []) if keep_records else None
        else:
            out = self.model(input_ids=ids, attention_mask=mask, use_cache=True, logits_to_keep=1)
        entry.cache = out.cache

    def _batch_with_prefix(self, batch, requests, encoded, prefixes, stats):
        keys = [self._prefix_key(encoded[i][0], requests[i].dialect) for i in batch]
        for key in dict.fromkeys(keys):
            if prefixes[key].cache is None:
                self._prefix_cache(prefixes[key], keep_records=stats is not None)
        p_lens = [len(prefixes[k].ids) for k in keys]
        p_max = max(p_lens)
        suffixes = [encoded[i][1] for i in batch]
        s_max = max(len(s) for s in suffixes)
        rows, masks = [], []
        for k, p_len, suffix in zip(keys, p_lens, suffixes):
            p_pad, s_pad = p_max - p_len, s_max - len(suffix)
            rows.append([self.pad_id] * p_pad + prefixes[k].ids + [self.pad_id] * s_pad + suffix)
            masks.append([0] * p_pad + [1] * p_len + [0] * s_pad + [1] * len(suffix))
        input_ids = torch.tensor(rows, dtype=torch.long, device=self.device)
        mask = torch.tensor(masks, dtype=torch.long, device=self.device)
        cache = batch_cache([prefixes[k].cache for k in keys], p_max, self.base.config)
        kwargs, stop = self.generate_kwargs(input_ids.shape[1], [requests[i] for i in batch])
        records = [] if stats is not None else None
        out = self.run_generate(input_ids, mask, [requests[i].dialect for i in batch], records=records,
                                cache=cache, **kwargs)
        return out, input_ids.shape[1], stop, records, keys

    # routing statistics
    def _update_stats(self, stats, batch, requests, gens, records, prefixes, keys, out, prefill_lens) -> None:
        """One ``stats.update`` per batch over each row's whole sequence (prefix, suffix, fed new tokens), so
        token counts and per-sequence pooling are those of one forward over the unpadded sequence."""
        cfg = self.model.momq_config
        n_layers = len(self.model.moe_layers())
        records = records or []
        steps = [records[k : k + n_layers] for k in range(0, len(records), n_layers)]
        if not n_layers or not steps:
            return
        device = out.device
        ids = torch.tensor([cfg.dialect_id(requests[i].dialect) for i in batch], device=device)
        parts: list[list] = []  # per part: its per-layer records, [B, length, ...]
        masks: list[torch.Tensor] = []
        if keys is not None:  # the shared prefix: its batch-1 records, left-padded to the longest prefix
            prefix_recs = [prefixes[k].records for k in keys]
            p_max = max(r[0].topk_idx.shape[1] for r in prefix_recs)
            parts.append([_stack_left_padded([r[layer] for r in prefix_recs], p_max) for layer in range(n_layers)])
            masks.append(torch.stack([_left_mask(r[0].topk_idx.shape[1], p_max, device) for r in prefix_recs]))
        first_len = steps[0][0].topk_idx.shape[1]  # the prefill: suffixes (with reuse) or whole prompts
        parts.append(steps[0])
        masks.append(torch.stack([_left_mask(n, first_len, device) for n in prefill_lens]))
        # decoding step t (1-based) feeds the t-th new token; a row counts while it was still running
        lengths = torch.tensor([g.new_tokens for g in gens], device=device)
        for t, step in enumerate(steps[1:], start=1):
            parts.append(step)
            masks.append((lengths > t).long()[:, None])
        merged = [_cat_records([part[layer] for part in parts]) for layer in range(n_layers)]
        stats.update(merged, ids, torch.cat(masks, dim=1))


def _left_mask(real: int, length: int, device) -> torch.Tensor:
    mask = torch.zeros(length, dtype=torch.long, device=device)
    mask[length - real :] = 1
    return mask


def _stack_left_padded(records: Sequence[Any], length: int):
    """Batch-1 :class:`LayerRecord` s of different lengths as one [B, length, ...] record (zeros on the left)."""
    from momq.adapter.routing import LayerRecord

    def pad(t: torch.Tensor | None) -> torch.Tensor | None:
        if t is None:
            return None
        missing = length - t.shape[1]
        return torch.cat([t.new_zeros(t.shape[0], missing, *t.shape[2:]), t], dim=1) if missing else t

    fields = [[pad(getattr(r, f)) for r in records] for f in ("expert_logits", "dialect_logits", "topk_idx")]
    cat = [None if col[0] is None else torch.cat(col, dim=0) for col in fields]
    return LayerRecord(*cat)


def _cat_records(records: Sequence[Any]):
    """One layer's records of consecutive calls, joined along the sequence dimension."""
    from momq.adapter.routing import LayerRecord

    dialect = None if records[0].dialect_logits is None else torch.cat([r.dialect_logits for r in records], dim=1)
    return LayerRecord(torch.cat([r.expert_logits for r in records], dim=1), dialect,
                       torch.cat([r.topk_idx for r in records], dim=1))


def left_pad(rows: Sequence[Sequence[int]], pad_id: int, device: torch.device | str = "cpu"
             ) -> tuple[torch.Tensor, torch.Tensor]:
    """Left-padded ``input_ids`` and ``attention_mask`` for token rows of different lengths."""
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long, device=device)
    mask = torch.zeros((len(rows), width), dtype=torch.long, device=device)
    for b, r in enumerate(rows):
        if r:
            ids[b, width - len(r) :] = torch.tensor(list(r), dtype=torch.long, device=device)
            mask[b, width - len(r) :] = 1
    return ids, mask


def batch_cache(caches: Sequence[Any], length: int, config: Any = None):
    """A new ``DynamicCache`` whose row i is ``caches[i]`` (batch 1) left-padded with zeros to ``length``.

    The inputs are only read: every layer's keys and values are new tensors, so decoding one batch never
    changes a cached prefix. The zero positions must be masked out by the caller's attention mask.
    """
    from transformers import DynamicCache

    layers = []
    for layer in zip(*(c.layers for c in caches)):
        keys, values = [], []
        for lay in layer:
            k, v = lay.keys, lay.values
            pad = length - k.shape[-2]
            if pad:
                k = torch.cat([k.new_zeros(*k.shape[:-2], pad, k.shape[-1]), k], dim=-2)
                v = torch.cat([v.new_zeros(*v.shape[:-2], pad, v.shape[-1]), v], dim=-2)
            keys.append(k)
            values.append(v)
        layers.append((torch.cat(keys, dim=0), torch.cat(values, dim=0)))
    return DynamicCache(ddp_cache_data=layers, config=config)


__all__ = [
    "FENCE",
    "FenceStop",
    "Generation",
    "GenerationRequest",
    "Generator",
    "GeneratorConfig",
    "batch_cache",
    "encode_prompt",
    "fence_closed",
    "left_pad",
    "tokenizer_adds_bos",
    "trigger_tokens",
]
