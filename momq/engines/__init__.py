"""Database engines, one module per engine, behind the interface in :mod:`momq.engines.base`.

- ``mariadb``: the MySQL dialect (local MariaDB server + PyMySQL engine); ``postgres``: PostgreSQL (local
  server + psycopg engine); ``sql_common``: what both SQL engines share (read-only execution, kept
  connections); ``sql_safety``: the textual pre-check shared by both SQL engines;
- ``falkordb_server`` / ``falkordb``: Cypher; ``bolt``: Cypher on a user's Neo4j/Memgraph; ``graph_values``:
  driver values to plain graph values, loading batches; ``watchdog``: a deadline around a blocking driver call;
- ``ngql_emulation``: nGQL executed over FalkorDB; ``nebula``: nGQL on a user's NebulaGraph cluster;
- ``local`` / ``process``: the life cycle of the servers we start; ``manager``: the registry of local servers
  (``momq engines up|down|status``, ``cli``) and the engine for each dialect.

Importing this package imports no driver; each engine module loads its driver when first used.
"""
