// Broken on purpose (SESS-USE-5, draft 2026-03-13): a tools/call that asks for progress
// (params._meta.progressToken) gets a notifications/progress before its result, and the server
// builds that notification's _meta by copying the request's _meta whole — the session metadata
// with it, which 2026-03-13 forbids on notifications. Without a progressToken it sends no
// notification at all: only a check that asks for progress sees the defect. Otherwise the
// session_server reference.

import { isMain, requestKey, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

/** tools/call request id → the request's _meta, when it asked for progress. */
const asked = new Map<string, Record<string, unknown>>();

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformIncoming(message) {
      const meta = message?.params?._meta;
      if (message?.method === 'tools/call' && meta?.progressToken !== undefined) asked.set(requestKey(message.id), meta);
      return message;
    },
    transformOutgoing(message) {
      const key = requestKey(message?.id);
      const meta = asked.get(key);
      asked.delete(key);
      if (meta === undefined || !('result' in message)) return message;
      const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: meta.progressToken, progress: 1, total: 1, _meta: { ...meta } } };
      return [progress, message];
    },
  });
}
