"""momq: one model that writes MySQL, PostgreSQL, Cypher and nGQL (the MoMQ method).

This top-level module only names the package; import the parts you need from their subpackages
(``momq.adapter``, ``momq.engines``, ``momq.bench``, ...). Heavy imports (torch, transformers) stay inside
those subpackages so that ``import momq`` and the command line start quickly.
"""

__version__ = "0.1.0"
