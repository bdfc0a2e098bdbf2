// Broken on purpose (SESS-CREATE-5): a create that carries a params object (`{}`, or unrelated
// _meta) takes a path that registers the new session lazily — its first session-bearing request
// only registers it and is answered -32043; from the second request on it works. Creates
// without params (the draft vector, what every other check sends) are unaffected.
// Otherwise the session_server reference server.

import { isMain, runSessionServer, type BehaviourOverrides, type SessionRecord } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => {
  let lazy = false;
  const unregistered = new Map<string, SessionRecord<null>>();
  return {
    onCreateWithSession(params) {
      const refusal = base.onCreateWithSession(params);
      lazy = refusal === null && params !== undefined;
      return refusal;
    },
    createSession(runtime) {
      const session = base.createSession(runtime);
      if (lazy) {
        runtime.store.delete(session.sessionId);
        unregistered.set(session.sessionId, session);
        lazy = false;
      }
      return session;
    },
    findSession(sessionId, runtime) {
      const pending = unregistered.get(sessionId);
      if (pending) {
        unregistered.delete(sessionId);
        runtime.store.add(pending);
        return undefined;
      }
      return base.findSession(sessionId, runtime);
    },
  };
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
