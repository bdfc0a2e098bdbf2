// Broken on purpose (SESS-ERR-4): malformed session metadata on a tool call (sessionId missing,
// not a string, empty; metadata not an object) is refused the way FastMCP servers do it — a
// successful result with isError: true and "Error executing tool X: Invalid session metadata" —
// instead of a JSON-RPC error. A failure under 2026-02-27 (SESS-ERR-1 is a MUST there), a
// warning under 2026-03-13 (decision D1). sessions/delete still answers -32602.
// Otherwise the session_server reference server.

import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, (base) => ({
    onMalformedSession(read, where) {
      if (where === 'delete') return base.onMalformedSession(read, where);
      return { text: `Error executing tool session_probe: Invalid session metadata: ${read.reason}`, isError: true, echo: null };
    },
  }));
}
