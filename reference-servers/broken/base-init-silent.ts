// Broken (BASE-INIT-1): never answers initialize (it reads and drops it), so the harness gives
// up at the start timeout and every other check is skipped. Otherwise session_server.
import { isMain, runSessionServer } from '../session-base.js';
import type { WireMessage } from '../wire.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformIncoming: (message: WireMessage) => (message?.method === 'initialize' ? null : message),
  });
}
