#!/usr/bin/env node
// Entry point. Loads the suite dynamically so that a broken installation is reported as an
// internal error (exit 4), never confused with a non-conformant target (exit 1).
const INTERNAL_ERROR = 4;

try {
  const { main } = await import('./main.js');
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`mcp-session-conformance: internal error: ${(err as Error)?.stack ?? err}\n`);
  process.exitCode = INTERNAL_ERROR;
}
