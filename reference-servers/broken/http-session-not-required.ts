// Broken on purpose (HTTP-SESSION-1): over Streamable HTTP it issues a 2025-11-25 transport
// session at initialize (`Mcp-Session-Id` on the response) but then serves a request that comes
// without that header, or with an id it never issued, as if it were fine — instead of 400 / 404.
// Requests carrying the issued id are served as usual, so every other check is unaffected.
// Everything else is session_server. Start with `--transport http --port N`.
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) void runSessionServer(sessionServer, undefined, undefined, { transportSessions: 'ignore' });
