"""Compiling grammars once per (dialect, schema, tokenizer) and checking whole texts against them.

The library is llguidance (chosen by measurement, see ``benchmarks/grammar_coverage.py`` and
``benchmarks/constrained_decode.py``): it takes Lark text directly, so nGQL and the other grammars stay
readable Lark; it builds a grammar in milliseconds without a tokenizer-wide precomputation and computes a
token mask in tens of microseconds on CPU with its lazy lexer and Earley parser. xgrammar, the alternative,
depends on a CUDA build of torch newer than the pinned CPU one (installing it replaced torch 2.13 with 2.14
and pulled the nvidia wheels), and takes EBNF, which would mean a second grammar source next to our Lark.

:func:`grammar_for` returns the grammar text of a (dialect, database) pair, cached; :class:`GrammarCache`
holds one llguidance tokenizer and gives fresh :class:`llguidance.LLMatcher` s; :func:`accepts` checks a whole
query (plus the closing fence) byte by byte, independent of any model's tokenizer. This module does not touch
logits (``momq.constrain.processor``) and does not execute queries.
"""

from __future__ import annotations

import functools
import json
import logging
from typing import Any

from momq.schema import Database, GraphDatabase, RelationalDatabase

log = logging.getLogger(__name__)


def _schema_key(database: Database) -> str:
    """A stable key for a database's names (its data left out)."""
    if isinstance(database, RelationalDatabase):
        shape = [[t.name, [c.name for c in t.columns]] for t in database.tables]
    else:
        shape = [[[n.label, [p.name for p in n.properties]] for n in database.node_types],
                 [[e.type, e.source, e.target, [p.name for p in e.properties]] for e in database.edge_types]]
    return json.dumps([database.name, shape])


_TEXTS: dict[tuple[str, str], str] = {}


def grammar_for(dialect: str, database: Database) -> str:
    """The grammar text for ``dialect`` over ``database`` (built once per schema and kept)."""
    key = (dialect, _schema_key(database))
    text = _TEXTS.get(key)
    if text is None:
        text = _build(dialect, database)
        _TEXTS[key] = text
    return text


def _build(dialect: str, database: Database) -> str:
    if dialect in ("mysql", "postgresql"):
        if not isinstance(database, RelationalDatabase):
            raise TypeError(f"{dialect} needs a RelationalDatabase, got {type(database).__name__}")
        from momq.constrain.sql import sql_grammar

        return sql_grammar(database, dialect)
    if not isinstance(database, GraphDatabase):
        raise TypeError(f"{dialect} needs a GraphDatabase, got {type(database).__name__}")
    if dialect == "cypher":
        from momq.constrain.cypher import cypher_grammar

        return cypher_grammar(database)
    if dialect == "ngql":
        from momq.constrain.ngql import ngql_grammar

        return ngql_grammar(database)
    raise ValueError(f"no grammar for dialect {dialect!r}")


class GrammarError(ValueError):
    """A grammar llguidance refused to compile."""


class GrammarCache:
    """One llguidance tokenizer for a HF fast tokenizer, and the compiled grammars of each (dialect, schema)."""

    def __init__(self, tokenizer: Any):
        import llguidance
        import llguidance.hf

        self.llg = llguidance
        self.tokenizer = llguidance.hf.from_tokenizer(tokenizer)
        self._pristine: dict[tuple[str, str], Any] = {}

    def matcher(self, dialect: str, database: Database):
        """A fresh matcher at the start of an answer for ``dialect`` over ``database``: a copy of the one
        compiled for that (dialect, schema) on first use."""
        key = (dialect, _schema_key(database))
        pristine = self._pristine.get(key)
        if pristine is None:
            grammar = self.llg.LLMatcher.grammar_from_lark(grammar_for(dialect, database))
            error = self.llg.LLMatcher.validate_grammar(grammar, self.tokenizer)
            if error:
                raise GrammarError(f"{dialect} grammar for {database.name}: {error}")
            pristine = self.llg.LLMatcher(self.tokenizer, grammar, log_level=0)
            if pristine.is_error():
                raise GrammarError(pristine.get_error())
            self._pristine[key] = pristine
        return pristine.deep_copy()


@functools.lru_cache(maxsize=1)
def byte_tokenizer():
    """A tokenizer whose tokens are the 256 bytes (plus an EOS), for checking texts without a model."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    alphabet = pre_tokenizers.ByteLevel.alphabet()
    vocab = {ch: i for i, ch in enumerate(sorted(alphabet))}
    vocab["<eos>"] = len(vocab)
    bpe = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    return PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token="<eos>")


@functools.lru_cache(maxsize=1)
def _byte_cache() -> GrammarCache:
    return GrammarCache(byte_tokenizer())


def accepts(dialect: str, database: Database, query: str, fence: str = "\n```") -> tuple[bool, str]:
    """Whether ``query`` followed by ``fence`` is a complete sentence of the grammar; and llguidance's error."""
    cache = _byte_cache()
    matcher = cache.matcher(dialect, database)
    data = (query + fence).encode("utf-8")
    ids = cache.tokenizer.tokenize_bytes(data)
    matcher.consume_tokens(ids)
    if matcher.is_error():
        return False, matcher.get_error().split("\n")[0]
    return matcher.is_accepting(), "" if matcher.is_accepting() else "incomplete"


__all__ = ["GrammarCache", "GrammarError", "accepts", "byte_tokenizer", "grammar_for"]
