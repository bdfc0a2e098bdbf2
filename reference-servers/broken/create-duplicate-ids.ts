// Broken on purpose (SESS-CREATE-4): a "de-duplication" of creates that arrive in one burst —
// within one event-loop turn, every 10th create hands back the session the previous create
// made instead of a new one. Creates that arrive one at a time (every check but the
// pipelined ones) are unaffected. Otherwise the session_server reference server.

import { isMain, runSessionServer, type BehaviourOverrides, type SessionRecord } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => {
  let inThisTurn = 0;
  let previous: SessionRecord<null> | undefined;
  return {
    createSession(runtime) {
      if (inThisTurn++ === 0) setImmediate(() => (inThisTurn = 0));
      if (inThisTurn % 10 === 0 && previous && runtime.store.has(previous.sessionId)) return previous;
      previous = base.createSession(runtime);
      return previous;
    },
  };
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
