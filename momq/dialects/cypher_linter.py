"""Neo4j's own Cypher parser and semantic analysis, to keep gold Cypher valid for real Neo4j (not only FalkorDB).

:class:`CypherLinter` runs ``node lint.mjs`` from ``momq/dialects/cypher_lint`` (npm package
``@neo4j-cypher/language-support``) once and sends it queries one JSON line at a time. It lints against an
empty database schema: syntax and semantic errors (undefined variables, wrong clause order, ...) are reported,
unknown labels, properties, functions and procedures are not. It does not execute anything and does not check
that a query runs on FalkorDB. Install the package with ``scripts/setup.sh``.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

LINT_DIR = Path(__file__).resolve().parent / "cypher_lint"
PACKAGE = "@neo4j-cypher/language-support"


class CypherLinterUnavailable(RuntimeError):
    """Node or the npm package is missing, or the linter process died."""


@dataclass(frozen=True)
class Diagnostic:
    line: int  # 1-based
    column: int  # 1-based
    message: str
    severity: str  # "error" | "warning" | "information" | "hint"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class CypherLinter:
    """A long-lived ``node lint.mjs`` process. Use as a context manager, or call :meth:`close`."""

    def __init__(self, lint_dir: Path | str = LINT_DIR, node: str | None = None, start_timeout_s: float = 60.0):
        self.lint_dir = Path(lint_dir)
        self.start_timeout_s = start_timeout_s
        self._node = node or shutil.which("node")
        self._proc: subprocess.Popen | None = None
        self._next_id = 0
        self._lock = threading.Lock()
        self._stderr = None

    # ---- life cycle
    def start(self) -> "CypherLinter":
        if self._proc is not None:
            return self
        hint = "run scripts/setup.sh (it installs Node's Cypher linter package)"
        if self._node is None:
            raise CypherLinterUnavailable(f"`node` is not on PATH; install Node.js 20+ and {hint}")
        if not (self.lint_dir / "node_modules" / PACKAGE / "package.json").exists():
            raise CypherLinterUnavailable(f"npm package {PACKAGE} is not installed in {self.lint_dir}; {hint}")
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # a file: a full pipe would block node
        self._proc = subprocess.Popen(
            [self._node, "lint.mjs"], cwd=self.lint_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._stderr, text=True, encoding="utf-8", bufsize=1,
        )
        ready = self._read_line(self.start_timeout_s)
        if not ready.get("ready"):
            self.close()
            raise CypherLinterUnavailable(f"the Cypher linter did not start properly: {ready}")
        log.info("Cypher linter ready (node %s, pid %d)", ready.get("node"), self._proc.pid)
        return self

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            proc.stdout.close()
            self._stderr.close()

    def __enter__(self) -> "CypherLinter":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- linting
    def check(self, query: str, timeout_s: float = 30.0) -> list[Diagnostic]:
        """All diagnostics for ``query`` (errors and warnings), ordered by position."""
        if not isinstance(query, str):
            raise TypeError("query must be a string")
        with self._lock:
            self.start()
            self._next_id += 1
            request_id = self._next_id
            try:
                self._proc.stdin.write(json.dumps({"id": request_id, "query": query}) + "\n")
                self._proc.stdin.flush()
            except OSError as exc:
                raise self._died(f"cannot send to the linter: {exc}") from exc
            reply = self._read_line(timeout_s)
        if reply.get("id") != request_id:
            raise CypherLinterUnavailable(f"the linter answered request {reply.get('id')}, expected {request_id}")
        if "error" in reply:
            raise CypherLinterUnavailable(f"the linter failed on this query: {reply['error']}")
        return [Diagnostic(d["line"], d["column"], d["message"], d["severity"]) for d in reply["diagnostics"]]

    def errors(self, query: str) -> list[Diagnostic]:
        """Only the error diagnostics: an empty list means Neo4j accepts the query."""
        return [d for d in self.check(query) if d.is_error]

    def is_valid(self, query: str) -> bool:
        return not self.errors(query)

    def _read_line(self, timeout_s: float) -> dict:
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self._proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout_s)
        if reader.is_alive():
            self._kill()
            raise CypherLinterUnavailable(f"the Cypher linter did not answer within {timeout_s} s")
        line = box[0] if box else ""
        if not line:
            raise self._died("the Cypher linter exited")
        return json.loads(line)

    def _died(self, what: str) -> CypherLinterUnavailable:
        stderr = self._kill()
        return CypherLinterUnavailable(f"{what}{' -- node said: ' + stderr if stderr else ''}")

    def _kill(self) -> str:
        """Kill the process; return the end of what it wrote to stderr."""
        proc, self._proc = self._proc, None
        if proc is None:
            return ""
        proc.kill()
        proc.wait()
        proc.stdout.close()
        try:
            self._stderr.seek(0)
            return self._stderr.read()[-2000:].strip()
        except (OSError, ValueError):
            return ""
        finally:
            self._stderr.close()
