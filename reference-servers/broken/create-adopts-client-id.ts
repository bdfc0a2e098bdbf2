// Broken on purpose (SESS-CREATE-3): a sessions/create that carries session metadata is not
// refused; the new session takes the sessionId the client supplied (session fixation, D5).
// Otherwise the session_server reference server.

import { isMain, runSessionServer, SESSION_META_KEY, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => {
  // Set by the create handler right before it mints (both run synchronously, one create at a time).
  let supplied: string | undefined;
  return {
    onCreateWithSession(params) {
      const meta = (params as { _meta?: Record<string, any> } | undefined)?._meta?.[SESSION_META_KEY];
      if (meta && typeof meta.sessionId === 'string' && meta.sessionId !== '') supplied = meta.sessionId;
      return null;
    },
    mintSessionId() {
      const id = supplied ?? base.mintSessionId();
      supplied = undefined;
      return id;
    },
  };
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
