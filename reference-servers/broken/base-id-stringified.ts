// Broken (BASE-ID-1): answers a request with an integer id using that id as a string
// (1 → "1"), as servers that keep ids in a string-keyed map do. Everything else is session_server.
import { isMain, runSessionServer } from '../session-base.js';
import type { WireMessage } from '../wire.js';
import { sessionServer } from '../session_server.js';

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformOutgoing: (message: WireMessage) =>
      typeof message?.id === 'number' && !('method' in message) ? { ...message, id: String(message.id) } : message,
  });
}
