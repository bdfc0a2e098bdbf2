// Broken on purpose (HTTP-MIRROR-1, a SHOULD: warning): over Streamable HTTP its responses that
// carry session metadata set `Mcp-Session-Id` to another well-formed id (a hash of the real one)
// instead of the data-layer sessionId the body carries. Everything else is session_server.
// Start with `--transport http --port N`.
import { createHash } from 'node:crypto';
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const other = (sessionId: string): string => `sess-${createHash('sha256').update(sessionId).digest('hex').slice(0, 32)}`;

if (isMain(import.meta.url)) void runSessionServer(sessionServer, undefined, undefined, { mirror: other });
