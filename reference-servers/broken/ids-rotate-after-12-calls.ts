// Broken on purpose (SESS-ID-4): after a session's 12th call, echoes name a new id the server
// minted for it ("rotation"); both ids keep working. An echo that differs from the request's id
// is also what SESS-ID-3 looks for, so both fail. Otherwise the session_server reference server.

import { isMain, runSessionServer, type BehaviourOverrides, type SessionRecord } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const ROTATE_AFTER = 12;

const overrides: BehaviourOverrides<null> = (base) => {
  const rotated = new Map<SessionRecord<null>, string>();
  const byNewId = new Map<string, SessionRecord<null>>();
  return {
    buildEcho(session, ctx) {
      const echo = base.buildEcho(session, ctx);
      if (!echo || session.calls <= ROTATE_AFTER) return echo;
      let id = rotated.get(session);
      if (id === undefined) {
        id = ctx.runtime.behaviour.mintSessionId();
        rotated.set(session, id);
        byNewId.set(id, session);
      }
      return { ...echo, sessionId: id };
    },
    findSession(sessionId, runtime) {
      return base.findSession(sessionId, runtime) ?? byNewId.get(sessionId);
    },
  };
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
