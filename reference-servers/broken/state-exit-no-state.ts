// Broken on purpose (SESS-STATE-2): the server issues state and assumes every tools/call in a
// live session carries it back; a call that leaves `state` out makes it exit (as an unchecked
// decode of `undefined` would). Otherwise the session_server reference.

import { isMain, runSessionServer, SESSION_META_KEY, type Runtime } from '../session-base.js';
import { sessionServer } from '../session_server.js';

let runtime: Runtime<null> | undefined;

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, (base) => ({
    createSession(rt) {
      runtime = rt;
      return base.createSession(rt);
    },
    transformIncoming(message) {
      const meta = message?.params?._meta?.[SESSION_META_KEY];
      const live = typeof meta?.sessionId === 'string' && runtime?.store.has(meta.sessionId);
      if (message?.method === 'tools/call' && live && !('state' in meta)) {
        process.stderr.write('TypeError: cannot decode state of undefined\n');
        process.exit(70);
      }
      return message;
    },
  }));
}
