// Broken on purpose (SESS-DELETE-2): sessions/delete only records the id in a tombstone list
// that the delete handler consults (so deleting twice still gets -32043); the session itself
// stays in the store and keeps working on tool calls.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { sessionNotFound } from '../rpc-error.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => {
  const tombstones = new Set<string>();
  return {
    deleteSession(read, runtime) {
      if (read.kind !== 'present' || !runtime.behaviour.findSession(read.meta.sessionId, runtime)) {
        return base.deleteSession(read, runtime);
      }
      if (tombstones.has(read.meta.sessionId)) throw sessionNotFound(read.meta.sessionId);
      tombstones.add(read.meta.sessionId);
      return {};
    },
  };
};

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
