"""Grammar-constrained decoding: per-dialect grammars specialised to a database's names, compiled with
llguidance, applied to generation as a logits processor. See each module's docstring for what it leaves out."""
