// Broken on purpose (SESS-DELETE-5): deleting one session empties the whole store, ending every
// other client's session too.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { SessionStore } from '../session-store.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  deleteSession(read, runtime) {
    const result = base.deleteSession(read, runtime);
    runtime.store = new SessionStore<null>();
    return result;
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
