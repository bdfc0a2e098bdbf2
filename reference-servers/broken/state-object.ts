// Broken on purpose (SESS-CREATE-1, SESS-USE-2, BASE-WIRE-2): the session_server reference,
// but its state token goes out as a JSON object ({"callCount": n}) instead of an opaque string,
// in the create result and in every echo. The draft's SessionMetadata.state is a string. The
// harness must judge the target for it and never send the object back (decision D19): a run
// against this server exits 1 (non-conformant), never 4 (a harness bug).

import { isMain, runSessionServer, SESSION_META_KEY } from '../session-base.js';
import { sessionServer } from '../session_server.js';
import { decodeState } from '../state-codec.js';

/** The object form of a state token. */
function asObject(state: unknown): unknown {
  if (typeof state !== 'string') return state;
  return decodeState(state) ?? { token: state };
}

function withObjectState(holder: any): any {
  return holder && typeof holder === 'object' && 'state' in holder ? { ...holder, state: asObject(holder.state) } : holder;
}

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformOutgoing(message) {
      const result = message?.result;
      if (!result || typeof result !== 'object') return message;
      const out = { ...result };
      if (out.session) out.session = withObjectState(out.session);
      if (out._meta?.[SESSION_META_KEY]) out._meta = { ...out._meta, [SESSION_META_KEY]: withObjectState(out._meta[SESSION_META_KEY]) };
      return { ...message, result: out };
    },
  });
}
