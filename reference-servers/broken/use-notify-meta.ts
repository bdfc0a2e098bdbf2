// Broken on purpose (SESS-USE-5, draft 2026-03-13): during every tools/call made inside a
// session the server logs a notifications/message that carries the session metadata in its
// `_meta` — which 2026-03-13 forbids. Otherwise the session_server reference (plus the
// `logging` capability, which a server that sends log messages declares).

import { isMain, referenceCapabilities, requestKey, runSessionServer, SESSION_META_KEY } from '../session-base.js';
import { sessionServer } from '../session_server.js';

/** tools/call request id → the sessionId it carried. */
const inSession = new Map<string, string>();

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    capabilities: { ...referenceCapabilities(), logging: {} },
    transformIncoming(message) {
      const meta = message?.params?._meta?.[SESSION_META_KEY];
      if (message?.method === 'tools/call' && typeof meta?.sessionId === 'string') inSession.set(requestKey(message.id), meta.sessionId);
      return message;
    },
    transformOutgoing(message) {
      const key = requestKey(message?.id);
      const sessionId = inSession.get(key);
      inSession.delete(key);
      if (sessionId === undefined || !('result' in message)) return message;
      const log = {
        jsonrpc: '2.0',
        method: 'notifications/message',
        params: { level: 'info', logger: 'sessions', data: 'tool call in session', _meta: { [SESSION_META_KEY]: { sessionId } } },
      };
      return [log, message];
    },
  });
}
