// The whole session conformance suite as part of this project's vitest run: one test per check.
import { sessionConformance } from 'mcp-session-conformance/vitest';

sessionConformance({
  // Your server's start command (stdio). The suite's own test points it at its reference and
  // broken servers through SERVER_COMMAND.
  server: process.env.SERVER_COMMAND ?? 'node build/server.js',
  draft: '2026-02-27',
  seed: 7,
  strict: process.env.STRICT === '1',
});
