"""Reading the database scripts users bring (Cypher and nGQL) into our private engines.

- :mod:`momq.ingest.script` cuts a script into statements with their line numbers (by the dialect's lexical
  rules) and holds :class:`ScriptError`, which names the file, line and statement of a failure;
- :mod:`momq.ingest.cypher_script` runs a Cypher script statement by statement on FalkorDB itself (no Cypher of
  our own), with ``LOAD CSV`` limited to files beside the script;
- :mod:`momq.ingest.ngql_script` reads an nGQL script's DDL and INSERTs into a
  :class:`~momq.schema.graph.GraphDatabase` that the nGQL emulation loads.
Every load is all-or-nothing: it fills a graph under a temporary name and replaces the target only when complete.
SQL dumps are not read here: the engines' own ``load_dump`` runs them (``momq db load`` in :mod:`momq.ingest.cli`
takes both).
"""
