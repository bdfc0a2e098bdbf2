// Broken on purpose (SESS-ID-2, a SHOULD: warning): ids look strong inside one process — 128
// bits of hex from a PRNG, never sequential — but the PRNG has a fixed seed, so every process
// mints the same sequence: whoever starts the server once knows the ids of every other instance
// (decision D24). Otherwise the session_server reference server.

import { isMain, runSessionServer } from '../session-base.js';
import { sessionServer } from '../session_server.js';

/** xorshift128 with a constant seed: the same 32-bit words, in the same order, in every process. */
const words = [0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321];
function next(): number {
  let t = words[3]!;
  const s = words[0]!;
  words[3] = words[2]!;
  words[2] = words[1]!;
  words[1] = s;
  t ^= t << 11;
  t ^= t >>> 8;
  words[0] = (t ^ s ^ (s >>> 19)) >>> 0;
  return words[0];
}

if (isMain(import.meta.url)) {
  void runSessionServer(sessionServer, {
    mintSessionId: () => `sess-${Array.from({ length: 4 }, () => next().toString(16).padStart(8, '0')).join('')}`,
  });
}
