"""The execution-verified multi-dialect benchmark: domains, data, query IR, compilers, verification, splits."""
