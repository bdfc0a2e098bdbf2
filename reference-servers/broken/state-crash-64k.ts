// Broken on purpose (SESS-STATE-4): a state value longer than 16 KiB makes the server exit (as a
// fixed-size decode buffer would) instead of answering an error. Otherwise the session_server
// reference.

import { isMain, runSessionServer, SESSION_META_KEY } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const BUFFER_CHARS = 16 * 1024;

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformIncoming(message) {
      const state = message?.params?._meta?.[SESSION_META_KEY]?.state;
      if (typeof state === 'string' && state.length > BUFFER_CHARS) {
        process.stderr.write(`RangeError: state of ${state.length} characters overflows the decode buffer\n`);
        process.exit(70);
      }
      return message;
    },
  });
}
