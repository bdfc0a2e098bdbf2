// Broken (BASE-METHOD-1): answers an unknown method with -32602 "Invalid request parameters",
// exactly as the Python originals do (their SDK validates the method against its known requests
// before routing). Everything else is session_server.
import { isMain, runSessionServer } from '../session-base.js';
import type { WireMessage } from '../wire.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformOutgoing: (message: WireMessage) =>
      message?.error?.code === -32601
        ? { ...message, error: { code: -32602, message: 'Invalid request parameters', data: '' } }
        : message,
  });
}
