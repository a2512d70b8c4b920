"""Shared helpers for the generation tests: a tiny byte-level BPE tokenizer trained in-process on prompt-like
text, tiny random Qwen2 / Llama models sized to it, and a few prompts on two schemas and two dialects."""

from __future__ import annotations

import functools

import torch

from momq.dialects.prompt import prompt_parts
from momq.infer.generate import GenerationRequest

FAMILIES = ("qwen2", "llama")
DIALECTS = ("mysql", "postgresql", "cypher")

SCHEMAS = {
    "music": "Table singer (singer_id INT primary key, name TEXT, country TEXT, age INT)\n"
             "Table concert (concert_id INT primary key, singer_id INT, year INT)\n"
             "Foreign key: concert.singer_id -> singer.singer_id",
    "shop": "Node label Product (name STRING, price FLOAT)\nNode label Store (city STRING)\n"
            "Edge type SELLS: (Store)-[:SELLS]->(Product)",
}
QUESTIONS = [
    "List the names of all singers.",
    "How many concerts were held in 2014?",
    "What is the average age of singers from France?",
    "Which singer gave the most concerts?",
    "Show every store city.",
    "Count the products cheaper than 10.",
]


@functools.lru_cache(maxsize=1)
def tiny_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    corpus = []
    for schema in SCHEMAS.values():
        for q in QUESTIONS:
            for d in DIALECTS:
                corpus.append(prompt_parts(q, schema, d).text + "SELECT name FROM singer;\n```\n")
    corpus += ["MATCH (s:Store)-[:SELLS]->(p:Product) RETURN p.name\n```", "```sql\nSELECT 1\n```"] * 5
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<pad>", "<s>", "</s>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", bos_token="<s>", eos_token="</s>")


def tiny_base(family: str, seed: int = 0):
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

    shape = dict(hidden_size=64, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, vocab_size=len(tiny_tokenizer()), max_position_embeddings=512,
                 initializer_range=0.1)
    torch.manual_seed(seed)
    model = (Qwen2ForCausalLM(Qwen2Config(**shape)) if family == "qwen2"
             else LlamaForCausalLM(LlamaConfig(**shape)))
    return model.eval()


def tiny_momq(family: str, routing: str, seed: int = 0):
    from momq.adapter.config import MoMQConfig
    from momq.adapter.model import MoMQModel

    cfg = MoMQConfig(dialects=DIALECTS, r=4, alpha=8.0, dropout=0.0, experts_per_dialect=2, shared_experts=1,
                     top_k=2, routing=routing)
    model = MoMQModel(tiny_base(family, seed), cfg).eval()
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():  # move the adapter away from its identity init, so experts change the outputs
        for _, p in sorted(model.trainable_state_dict().items()):
            p.add_(0.2 * torch.randn(p.shape, generator=g))
    return model


def mixed_requests() -> list[GenerationRequest]:
    """Eight requests over two schemas and three dialects, interleaved so that input order != batch order."""
    out = []
    for k, q in enumerate(QUESTIONS + QUESTIONS[:2]):
        schema = SCHEMAS["music"] if k % 3 != 2 else SCHEMAS["shop"]
        dialect = DIALECTS[k % len(DIALECTS)] if k % 3 != 2 else "cypher"
        parts = prompt_parts(q, schema, dialect)
        out.append(GenerationRequest.from_parts(parts, dialect))
    return out
