#!/usr/bin/env node
// Entry point. Loads the suite dynamically so that a broken installation is reported as an
// internal error (exit 4), never confused with a non-conformant target (exit 1).
import module from 'node:module';

const INTERNAL_ERROR = 4;

// Node ≥ 22.1 keeps the compiled code of the modules below on disk between runs (issue 15: the
// CLI's own start); older Node has no such cache and skips this. NODE_DISABLE_COMPILE_CACHE=1
// turns it off.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

try {
  const { main } = await import('./main.js');
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`mcp-session-conformance: internal error: ${(err as Error)?.stack ?? err}\n`);
  process.exitCode = INTERNAL_ERROR;
}
