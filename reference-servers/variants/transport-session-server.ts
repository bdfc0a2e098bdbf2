// session_server over Streamable HTTP in the SDK's stateful mode: it issues a 2025-11-25
// transport session (`Mcp-Session-Id` on the initialize response) beside its data-layer
// sessions, and refuses a request without that header (400) or with an unknown one (404), as the
// transport text asks. It shows HTTP-SESSION-1 passing, and that the D25 mirror is then not
// judged (the header names the transport session). Start with `--transport http --port N`.
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) void runSessionServer(sessionServer, undefined, undefined, { transportSessions: 'enforce' });
