"""The server's configuration: named connections (the only databases a client can reach: a client names one
and never sends a URL), the optional API key, and the request limits. Read from a YAML file and/or flags.

```yaml
connections:
  shop: "mysql://reader:pw@db:3306/shop"          # a URL
  movies: {url: "demo:movies", dialect: cypher}    # or a URL with a dialect override
api_key: "..."                                     # optional; also --api-key or $MOMQ_API_KEY
max_request_bytes: 16384
request_timeout_s: 120
```

Every URL is parsed when the configuration is read, so a bad one stops the server at start (bad input). It
opens no connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from momq.engines.base import ExecutionLimits
from momq.serve.connections import Connection, ConnectionURLError, parse_url


class ServerConfigError(ValueError):
    """A server configuration that cannot be used (bad input)."""


@dataclass
class ServerConfig:
    connections: dict[str, Connection] = field(default_factory=dict)
    api_key: str | None = None
    #: largest request body accepted (bytes)
    max_request_bytes: int = 16_384
    #: longest question accepted (characters)
    max_question_chars: int = 2_000
    #: wall-clock limit for one request (generation, validation and execution together)
    request_timeout_s: float = 120.0
    #: most retries a client may ask for
    max_retries: int = 4
    limits: ExecutionLimits = field(default_factory=lambda: ExecutionLimits(timeout_s=10.0, max_rows=1000))

    def __post_init__(self) -> None:
        if self.max_request_bytes < 256 or self.request_timeout_s <= 0 or self.max_question_chars < 1:
            raise ServerConfigError("max_request_bytes >= 256, request_timeout_s > 0 and max_question_chars >= 1")

    @classmethod
    def from_mapping(cls, data: dict[str, Any], where: str = "configuration") -> "ServerConfig":
        if not isinstance(data, dict):
            raise ServerConfigError(f"{where}: expected a mapping")
        unknown = set(data) - {"connections", "api_key", "max_request_bytes", "max_question_chars",
                               "request_timeout_s", "max_retries", "timeout_s", "max_rows"}
        if unknown:
            raise ServerConfigError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        connections = {}
        for name, spec in (data.get("connections") or {}).items():
            url, dialect = (spec, None) if isinstance(spec, str) else (
                (spec or {}).get("url"), (spec or {}).get("dialect"))
            if not isinstance(url, str):
                raise ServerConfigError(f"{where}: connection {name!r} needs a url")
            try:
                connections[str(name)] = parse_url(url, dialect)
            except ConnectionURLError as exc:
                raise ServerConfigError(f"{where}: connection {name!r}: {exc}") from None
        try:
            return cls(connections=connections, api_key=data.get("api_key"),
                       max_request_bytes=int(data.get("max_request_bytes", 16_384)),
                       max_question_chars=int(data.get("max_question_chars", 2_000)),
                       request_timeout_s=float(data.get("request_timeout_s", 120.0)),
                       max_retries=int(data.get("max_retries", 4)),
                       limits=ExecutionLimits(timeout_s=float(data.get("timeout_s", 10.0)),
                                              max_rows=int(data.get("max_rows", 1000))))
        except (TypeError, ValueError) as exc:
            raise ServerConfigError(f"{where}: {exc}") from None

    @classmethod
    def from_file(cls, path: str | Path) -> "ServerConfig":
        import yaml

        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ServerConfigError(f"{path}: not valid YAML: {exc}") from None
        return cls.from_mapping(data, str(path))
