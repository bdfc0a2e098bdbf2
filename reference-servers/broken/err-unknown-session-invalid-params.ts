// Broken on purpose (SESS-ERR-1): a never-issued session id on a tool call gets -32602 Invalid
// params instead of -32043. Ids the server did issue (deleted, expired) still get -32043, and
// sessions/delete is untouched.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { invalidParams } from '../rpc-error.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => {
  const issued = new Set<string>();
  return {
    createSession(runtime) {
      const session = base.createSession(runtime);
      issued.add(session.sessionId);
      return session;
    },
    onUnknownSession(sessionId, where) {
      if (where === 'tool' && !issued.has(sessionId)) return invalidParams(`Unknown session id: ${sessionId}`);
      return base.onUnknownSession(sessionId, where);
    },
  };
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
