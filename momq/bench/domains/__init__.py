"""The registry of benchmark domains: one module per domain in this package, found by name.

Each public module (no leading underscore) defines ``DOMAIN`` (the ER model) and ``SPEC`` (how its data is
generated, ``momq.bench.generate.DomainSpec``); adding a domain means adding a file. Domains are listed in
name order. This package does not generate data or decide splits.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from types import ModuleType

from momq.bench.er import Domain
from momq.bench.generate import DomainSpec


@functools.cache
def _modules() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        domain, spec = getattr(module, "DOMAIN", None), getattr(module, "SPEC", None)
        if not isinstance(domain, Domain) or not isinstance(spec, DomainSpec) or spec.domain is not domain:
            raise TypeError(f"domain module {module.__name__} must define DOMAIN (a Domain) "
                            "and SPEC (its DomainSpec)")
        if domain.name in found:
            raise ValueError(f"domain {domain.name!r} is defined twice "
                             f"({found[domain.name].__name__}, {module.__name__})")
        found[domain.name] = module
    return dict(sorted(found.items()))


def all_domains() -> list[Domain]:
    """Every registered domain, in name order."""
    return [m.DOMAIN for m in _modules().values()]


def domain_names() -> list[str]:
    return list(_modules())


def _module(name: str) -> ModuleType:
    modules = _modules()
    if name not in modules:
        raise KeyError(f"unknown domain {name!r}; known: {', '.join(modules)}")
    return modules[name]


def get_domain(name: str) -> Domain:
    return _module(name).DOMAIN


def get_spec(name: str) -> DomainSpec:
    """How the named domain's data is generated (``momq.bench.generate.generate`` uses it)."""
    return _module(name).SPEC
