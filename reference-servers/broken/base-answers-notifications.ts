// Broken (BASE-NOTIF-1): answers a notification it does not handle with a -32601 error (id null),
// as a generic dispatcher that never checks for an id does. notifications/initialized is handled
// and stays unanswered. Everything else is session_server.
import { isMain, runSessionServer } from '../session-base.js';
import type { WireMessage } from '../wire.js';
import { sessionServer } from '../session_server.js';

const HANDLED = new Set(['notifications/initialized']);

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformIncoming: (message: WireMessage) => {
      const isNotification = typeof message?.method === 'string' && !('id' in message);
      if (isNotification && !HANDLED.has(message.method)) {
        process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32601, message: `Method not found: ${message.method}` } })}\n`);
      }
      return message;
    },
  });
}
