// Neo4j's Cypher linter as a long-lived process for momq.
// Reads one JSON object per line on stdin: {"id": <any>, "query": "<cypher>"}.
// Writes one JSON object per line on stdout: {"id": ..., "diagnostics": [{line, column, endLine, endColumn,
// message, severity}]} with 1-based lines/columns and severity "error" | "warning" | "information" | "hint",
// or {"id": ..., "error": "<why the request could not be linted>"}. First line written: {"ready": true, ...}.
// It lints against an empty database schema, so unknown labels or properties are not reported.
import { createInterface } from 'node:readline';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };

function lint(query) {
  const { diagnostics } = lintCypherQuery(query, {}, { consoleCommandsEnabled: false });
  return diagnostics.map((d) => ({
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    message: d.message,
    severity: SEVERITY[d.severity] ?? 'error',
  }));
}

function write(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

lint('RETURN 1'); // warm up the parser before announcing readiness
write({ ready: true, node: process.version });

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (line.trim() === '') return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (err) {
    write({ id: null, error: `request is not JSON: ${err.message}` });
    return;
  }
  if (typeof request.query !== 'string') {
    write({ id: request.id ?? null, error: 'request has no string "query"' });
    return;
  }
  try {
    write({ id: request.id ?? null, diagnostics: lint(request.query) });
  } catch (err) {
    write({ id: request.id ?? null, error: `linter failed: ${err && err.message ? err.message : String(err)}` });
  }
});
