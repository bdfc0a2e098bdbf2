// Broken on purpose (SESS-USE-2): a session middleware that puts the session, with the call
// counter as a JSON number for `state`, on every success answering a request made in a live
// session — tools/call and also tools/list, ping and the other lists (the echo on those is
// allowed, decision D2; SESS-USE-3 reports it). The numeric state is the defect.
// Otherwise the session_server reference (whose create result still carries a string state).

import { isMain, requestKey, runSessionServer, type Runtime, SESSION_META_KEY } from '../session-base.js';
import { sessionServer } from '../session_server.js';

let runtime: Runtime<null> | undefined;
/** Request id → the session it named (requests other than create/delete). */
const named = new Map<string, string>();

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, (base) => ({
    createSession(rt) {
      runtime = rt;
      return base.createSession(rt);
    },
    transformIncoming(message) {
      const meta = message?.params?._meta?.[SESSION_META_KEY];
      const method = message?.method;
      if ('id' in (message ?? {}) && typeof meta?.sessionId === 'string' && method !== 'sessions/create' && method !== 'sessions/delete') {
        named.set(requestKey(message.id), meta.sessionId);
      }
      return message;
    },
    transformOutgoing(message) {
      const sessionId = named.get(requestKey(message?.id));
      if (sessionId === undefined || !('result' in message)) return message;
      named.delete(requestKey(message.id));
      const session = runtime?.store.get(sessionId);
      if (!session || typeof message.result !== 'object' || message.result === null) return message;
      const echo = { sessionId, state: session.calls, expiresAt: base.formatExpiry(session.expiresAt) };
      return { ...message, result: { ...message.result, _meta: { ...(message.result._meta ?? {}), [SESSION_META_KEY]: echo } } };
    },
  }));
}
