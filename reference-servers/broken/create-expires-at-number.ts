// Broken on purpose (SESS-CREATE-1): the sessions/create result gives `expiresAt` as a Unix
// time in seconds (a number) instead of a string, so result.session is not a valid
// SessionMetadata. Echoes on tool calls keep the string form. The client never sends
// expiresAt back, so nothing else depends on it. Otherwise the session_server reference server.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  createResult(session, runtime) {
    const result = base.createResult(session, runtime) as { session: Record<string, unknown> };
    return { session: { ...result.session, expiresAt: Math.floor(session.expiresAt.getTime() / 1000) } };
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
