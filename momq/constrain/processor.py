"""A logits processor that keeps every row of a batched ``generate`` inside its grammar.

:class:`GrammarLogitsProcessor` is a ``transformers`` ``LogitsProcessor`` (duck-typed: ``__call__(input_ids,
scores)``) for one batch: row i has its own llguidance matcher (its dialect's grammar over its database, from a
:class:`~momq.constrain.compiled.GrammarCache`). Each step it feeds every running row the token it just got
(tokens after ``prompt_len``), computes all rows' masks in one call to llguidance's parallel executor and sets
disallowed logits to ``-inf``. It works with left padding and a pre-filled KV cache because it only reads the
new tokens.

Word boundaries: the grammars ignore whitespace between lexemes (:mod:`momq.constrain.lexical`), so when a
row's text ends in a word character or quote, a token that starts with one is allowed only if the grammar
would not also take it after a space -- i.e. only when it continues the current lexeme rather than starting a
new one (``name`` + ``FROM`` is refused, ``cust`` + ``omer`` kept). That costs a second mask for such rows.
Inside a string literal or quoted name (read by the dialect's lexical rules,
:func:`momq.dialects.lexical.ends_inside_quotes`) there is no boundary to keep: a space is part of the literal
there, so the rule would force one between every two characters (``'GJ725'`` written ``' G J 7 2 5 '``).
Known gap: a boundary *inside* a multi-character token (``Wh`` + ``erest`` read as WHERE + est) is not seen;
a grammar-level fix needs look-ahead that llguidance's regexes lack.

A row is left alone (no mask) once its grammar is complete and stopped -- the answer closed its fence, after
which ``generate`` pads it -- or if its matcher failed, which is logged: the output is then unconstrained from
there on, never silently cut. Not here: stopping (``FenceStop`` does it), sampling choices, grammars.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

import torch

from momq.constrain.compiled import GrammarCache
from momq.dialects.lexical import ends_inside_quotes

log = logging.getLogger(__name__)


def _is_word(ch: str) -> bool:
    """Characters that may not touch across a lexeme boundary: word characters, and quotes (two quoted names
    or strings written together read as one with an escaped quote: `a``b`, 'a''b')."""
    return ch.isalnum() or ch in "_$`'\""


class TokenEdges:
    """Per token id: whether its text starts with a word character; kept per tokenizer."""

    def __init__(self, tokenizer: Any):
        pieces = tokenizer.batch_decode([[i] for i in range(len(tokenizer))])
        self.starts_word = torch.tensor([bool(p) and _is_word(p[0]) for p in pieces], dtype=torch.bool)
        ids = tokenizer(" ", add_special_tokens=False).input_ids
        if len(ids) != 1:
            raise ValueError("the tokenizer has no single token for a space")
        self.space_id = ids[0]


class GrammarLogitsProcessor:
    """Per-row grammar masks for one batch (see the module docstring)."""

    def __init__(self, cache: GrammarCache, rows: Sequence[tuple[str, Any]], prompt_len: int, edges: TokenEdges,
                 tokenizer: Any):
        import llguidance
        import llguidance.torch

        self._llg_torch = llguidance.torch
        self.matchers = [cache.matcher(dialect, database) for dialect, database in rows]
        self.dialects = [dialect for dialect, _ in rows]
        self.texts = [""] * len(rows)  # each row's answer so far
        self.prompt_len = prompt_len
        self.edges = edges
        self.tokenizer = tokenizer
        self.fed = [0] * len(rows)  # new tokens consumed per row
        self.free = [False] * len(rows)  # rows no longer constrained (finished or failed)
        self.last_is_word = [False] * len(rows)
        self.executor = llguidance.LLExecutor()
        self.vocab = cache.tokenizer.vocab_size
        self.bitmask = llguidance.torch.allocate_token_bitmask(len(rows), self.vocab)
        self.spaced = llguidance.torch.allocate_token_bitmask(len(rows), self.vocab)
        self._bits = torch.arange(32, dtype=torch.int32)
        #: Wall time spent in this processor (masks included), for benchmarks.
        self.seconds = 0.0

    def _unpack(self, words: torch.Tensor, vocab: int) -> torch.Tensor:
        allowed = ((words.unsqueeze(-1) >> self._bits) & 1).bool().reshape(words.shape[0], -1)
        if allowed.shape[1] < vocab:
            allowed = torch.cat([allowed, allowed.new_zeros(words.shape[0], vocab - allowed.shape[1])], dim=1)
        return allowed[:, :vocab]

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        t0 = time.perf_counter()
        try:
            return self._mask(input_ids, scores)
        finally:
            self.seconds += time.perf_counter() - t0

    def _mask(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        n_new = input_ids.shape[1] - self.prompt_len
        active = []
        for row, matcher in enumerate(self.matchers):
            if self.free[row]:
                continue
            if n_new > self.fed[row]:
                tokens = input_ids[row, self.prompt_len + self.fed[row]:].tolist()
                self.fed[row] = n_new
                if matcher.is_stopped():  # complete: generate pads it from here on
                    self.free[row] = True
                    continue
                matcher.consume_tokens(tokens)
                if matcher.is_error():
                    log.warning("row %d left its grammar (%s); it is unconstrained from here",
                                row, matcher.get_error().split("\n")[0])
                    self.free[row] = True
                    continue
                self.texts[row] += self.tokenizer.decode(tokens)
                text = self.texts[row]
                self.last_is_word[row] = (bool(text) and _is_word(text[-1])
                                          and not ends_inside_quotes(text, self.dialects[row]))
            if matcher.is_stopped() and matcher.is_accepting():
                self.free[row] = True
                continue
            active.append(row)
        if not active:
            return scores
        self._llg_torch.fill_next_token_bitmask_par(self.executor, [(self.matchers[r], r) for r in active],
                                                    self.bitmask)
        vocab = scores.shape[-1]
        rows = torch.tensor(active)
        allowed = self._unpack(self.bitmask[rows], vocab)
        glued = [i for i, r in enumerate(active) if self.last_is_word[r]]
        if glued:
            copies = []
            for i in glued:
                copy = self.matchers[active[i]].deep_copy()
                copy.consume_token(self.edges.space_id)
                copies.append((copy, active[i]))
            self._llg_torch.fill_next_token_bitmask_par(self.executor, copies, self.spaced)
            spaced = self._unpack(self.spaced[torch.tensor([active[i] for i in glued])], vocab)
            starts = self.edges.starts_word[:vocab]
            n = len(starts)
            for k, i in enumerate(glued):
                allowed[i, :n] &= ~(starts & spaced[k, :n])
        block = torch.zeros_like(scores, dtype=torch.bool)
        block[rows] = ~allowed.to(scores.device)
        return scores.masked_fill(block, float("-inf"))


__all__ = ["GrammarLogitsProcessor", "TokenEdges"]
