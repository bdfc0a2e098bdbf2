// Broken on purpose (SESS-ID-4, and with it SESS-ID-3): from a session's fourth call on, the echo
// names a rewritten id (`<id>.r2`) — a "rotation" no client asked for. The original id keeps
// working, so only a run with several calls per session sees it.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

/** Calls a session answers with its own id before the rewrite starts. */
const HONEST_CALLS = 3;

const overrides: BehaviourOverrides<null> = (base) => ({
  buildEcho(session, ctx) {
    const echo = base.buildEcho(session, ctx);
    if (!echo || session.calls <= HONEST_CALLS) return echo;
    return { ...echo, sessionId: `${session.sessionId}.r2` };
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
