// Broken on purpose (SESS-DELETE-1): deleting a live session works but answers `result: null`
// instead of the object {}. (MCP results are objects, so the envelope check BASE-WIRE-1
// fails too.)

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  deleteSession(read, runtime) {
    base.deleteSession(read, runtime);
    return null as unknown as Record<string, unknown>;
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
