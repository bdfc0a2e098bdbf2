// Broken on purpose (SESS-CREATE-6): the sessions/create result also carries the earlier
// revision's copy in result._meta[key] (D4), but that copy's expiresAt is an hour later than
// result.session's. Otherwise the session_server reference server.

import { isMain, runSessionServer, SESSION_META_KEY, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  createResult(session, runtime) {
    const result = base.createResult(session, runtime) as { session: Record<string, unknown> };
    const later = runtime.behaviour.formatExpiry(new Date(session.expiresAt.getTime() + 60 * 60 * 1000));
    return { ...result, _meta: { [SESSION_META_KEY]: { ...result.session, expiresAt: later } } };
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
