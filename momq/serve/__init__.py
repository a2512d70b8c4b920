"""Asking a live database: connection URLs, live schemas, validation, the ask loop with self-correction, and the
ways to reach it (``momq ask``, the HTTP API ``momq serve`` with its page, the MCP server ``momq mcp``).

Heavy libraries (torch, transformers, fastapi, mcp) are imported lazily by the modules that need them.
"""
