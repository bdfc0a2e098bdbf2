// Broken on purpose (SESS-ERR-4): session metadata that is a string (not an object) crashes the
// process, as an unchecked property access would in a server without a top-level guard.

import { isMain, runSessionServer, SESSION_META_KEY, type BehaviourOverrides } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  readSessionMeta(params) {
    const value = (params as { _meta?: Record<string, unknown> } | undefined)?._meta?.[SESSION_META_KEY];
    if (typeof value === 'string') {
      process.stderr.write(`TypeError: Cannot use 'in' operator to search for 'sessionId' in ${value}\n`);
      process.exit(70);
    }
    return base.readSessionMeta(params);
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
