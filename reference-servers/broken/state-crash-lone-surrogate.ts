// Broken on purpose (SESS-STATE-4): a state value with an unpaired UTF-16 surrogate ("\ud800x")
// makes the server exit (as a strict UTF-8 encoder of the token would) instead of answering.
// Unlike a parser that drops such a line and keeps serving (decision D20: BASE-PARSE-1's
// finding), a crash is SESS-STATE-4's failure. Otherwise the session_server reference.

import { isMain, runSessionServer, SESSION_META_KEY } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformIncoming(message) {
      const state = message?.params?._meta?.[SESSION_META_KEY]?.state;
      if (typeof state === 'string' && LONE_SURROGATE.test(state)) {
        process.stderr.write("UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800': surrogates not allowed\n");
        process.exit(70);
      }
      return message;
    },
  });
}
