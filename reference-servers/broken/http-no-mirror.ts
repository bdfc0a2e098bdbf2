// Broken on purpose (HTTP-MIRROR-1, a SHOULD: warning): over Streamable HTTP its responses that
// carry session metadata never set `Mcp-Session-Id` to the data-layer sessionId (D25, D14).
// Everything else is session_server. Start with `--transport http --port N`.
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) void runSessionServer(sessionServer, undefined, undefined, { mirror: () => undefined });
