// Broken on purpose (SESS-REQ-1): the session check only looks for a missing `_meta`. A request
// whose `_meta` exists but has no session key (e.g. `_meta: {}` or only a progress/trace key)
// runs the session-only tool in a throwaway anonymous session. No `_meta` at all is refused as
// the reference does, so the tool still looks session-only to discovery.

import { isMain, runSessionServer, SESSION_META_KEY, type BehaviourOverrides } from '../session-base.js';
import { expiryFrom } from '../session-store.js';
import { sessionServer } from '../session_server.js';

const ANONYMOUS = 'anonymous';

const overrides: BehaviourOverrides<null> = (base) => ({
  readSessionMeta(params) {
    const meta = (params as { _meta?: unknown } | undefined)?._meta;
    if (meta !== null && typeof meta === 'object' && !Array.isArray(meta) && !(SESSION_META_KEY in meta)) {
      return { kind: 'present', meta: { sessionId: ANONYMOUS } };
    }
    return base.readSessionMeta(params);
  },
  findSession(sessionId, runtime) {
    if (sessionId !== ANONYMOUS) return base.findSession(sessionId, runtime);
    const now = runtime.behaviour.now();
    return { sessionId, createdAt: now, expiresAt: expiryFrom(now), calls: 0, data: runtime.spec.newData() };
  },
  // The anonymous session is no session to the client: nothing is echoed.
  buildEcho: (session, ctx) => (session.sessionId === ANONYMOUS ? undefined : base.buildEcho(session, ctx)),
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
