// A session_server that protects its state (what SESS-STATE-3 asks for and the demo servers do
// not do): each token is base64url(payload) + "." + HMAC-SHA256(sessionId + payload) under a
// key the process draws at start. A token that fails the signature, or was signed for another
// session, is rejected with -32602 before the tool runs. It exists to prove SESS-STATE-3 can
// pass, and that a server doing everything the draft asks gets no warning at all.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { RpcError, INVALID_PARAMS } from '../rpc-error.js';
import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const key = randomBytes(32);

function sign(sessionId: string, payload: string): string {
  return createHmac('sha256', key).update(`${sessionId}\n${payload}`).digest('base64url');
}

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    issueState(session) {
      const payload = Buffer.from(JSON.stringify({ callCount: session.calls })).toString('base64url');
      return `${payload}.${sign(session.sessionId, payload)}`;
    },
    acceptState(session, incoming) {
      if (incoming.state === undefined) return;
      const [payload, signature, extra] = String(incoming.state).split('.');
      const expected = Buffer.from(sign(session.sessionId, payload ?? ''));
      const given = Buffer.from(signature ?? '');
      if (extra !== undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new RpcError(INVALID_PARAMS, 'Invalid session state: the token was not issued by this server for this session');
      }
    },
  });
}
