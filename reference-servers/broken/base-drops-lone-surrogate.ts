// Broken on purpose (BASE-PARSE-1, a SHOULD: warning): a line whose JSON carries an unpaired
// UTF-16 surrogate escape ("\ud800x") is dropped without any answer, as a pydantic-based server
// does (pydantic rejects the whole line; RFC 8259 §8.2 leaves such strings open) — no response,
// no -32700 — and the server keeps serving. Decision D20: that is BASE-PARSE-1's finding, not a
// SESS-STATE-4 failure. Otherwise the session_server reference.

import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => hasLoneSurrogate(k) || hasLoneSurrogate(v));
  return false;
}

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    transformIncoming(message) {
      if (!hasLoneSurrogate(message)) return message;
      process.stderr.write('pydantic_core.ValidationError: Invalid JSON: lone leading surrogate in hex escape\n');
      return null;
    },
  });
}
