// Broken (BASE-WIRE-2): attaches session metadata to every tools/list result, even when the
// request carried no session — built as `{ sessionId: currentSession?.id }`, which JSON turns
// into `{}`: SessionMetadata without its required sessionId. Everything else is session_server.
import { isMain, runSessionServer, SESSION_META_KEY } from '../session-base.js';
import type { WireMessage } from '../wire.js';
import { readSessionMeta } from '../session-meta.js';
import { sessionServer } from '../session_server.js';

/** Ids of tools/list requests that came without a session. */
const sessionless = new Set<unknown>();

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformIncoming: (message: WireMessage) => {
      if (message?.method === 'tools/list' && readSessionMeta(message.params).kind === 'missing') sessionless.add(message.id);
      return message;
    },
    transformOutgoing: (message: WireMessage) => {
      if (!message?.result || !sessionless.delete(message.id)) return message;
      // `{ sessionId: undefined }` after JSON.stringify: the required sessionId is gone.
      return { ...message, result: { ...message.result, _meta: { [SESSION_META_KEY]: {} } } };
    },
  });
}
