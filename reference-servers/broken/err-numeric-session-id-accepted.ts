// Broken on purpose (SESS-ERR-4): a numeric sessionId (e.g. 123) is coerced to a string and, as
// a "legacy numeric handle", gets a session made for it on the spot, so the tool succeeds.
// String ids are handled as the reference does.

import { isMain, runSessionServer, type BehaviourOverrides } from '../session-base.js';
import { expiryFrom } from '../session-store.js';
import { sessionServer } from '../session_server.js';

const overrides: BehaviourOverrides<null> = (base) => ({
  readSessionMeta(params) {
    const read = base.readSessionMeta(params);
    if (read.kind === 'malformed' && typeof (read.value as { sessionId?: unknown })?.sessionId === 'number') {
      const value = read.value as Record<string, unknown>;
      return { kind: 'present', meta: { ...value, sessionId: String(value.sessionId) } };
    }
    return read;
  },
  findSession(sessionId, runtime) {
    const known = base.findSession(sessionId, runtime);
    if (known || !/^\d+$/.test(sessionId)) return known;
    const now = runtime.behaviour.now();
    const adopted = { sessionId, createdAt: now, expiresAt: expiryFrom(now), calls: 0, data: runtime.spec.newData() };
    runtime.store.add(adopted);
    return adopted;
  },
});

if (isMain(import.meta.url)) void runSessionServer(sessionServer, overrides);
