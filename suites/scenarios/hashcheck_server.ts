// Demo script: store "secret123", "sk-abc" → list → verify "secret123" (MATCH) →
// verify "wrong-password" (NOT FOUND) → delete "sk-abc" → list
import { createHash } from 'node:crypto';
import type { Scenario } from './types.js';

/** The server shows the first 16 hex digits of the SHA-256 digest of the UTF-8 text. */
const short = (text: string) => `${createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16)}...`;
const [first, second] = [short('secret123'), short('sk-abc')].sort();

export const hashcheckScenario: Scenario = {
  app: 'hashcheck_server',
  summary: 'store "secret123", "sk-abc" → list → verify "secret123" → verify "wrong-password" → delete "sk-abc" → list',
  steps: [
    { label: 'store "secret123"', tool: 'hashcheck_store', args: { text: 'secret123' }, expect: { text: `Stored sha256 digest ${short('secret123')} (1 total)` } },
    { label: 'store "sk-abc"', tool: 'hashcheck_store', args: { text: 'sk-abc' }, expect: { text: `Stored sha256 digest ${short('sk-abc')} (2 total)` } },
    // Listed in sorted order of the digests.
    { label: 'list', tool: 'hashcheck_list', expect: { text: `Hash store (2 entries):\n  1. ${first}\n  2. ${second}` } },
    { label: 'verify "secret123" (MATCH)', tool: 'hashcheck_verify', args: { text: 'secret123' }, expect: { text: `MATCH for ${short('secret123')}` } },
    {
      label: 'verify "wrong-password" (NOT FOUND)',
      tool: 'hashcheck_verify',
      args: { text: 'wrong-password' },
      expect: { text: `NOT FOUND for ${short('wrong-password')}` },
    },
    { label: 'delete "sk-abc"', tool: 'hashcheck_delete', args: { text: 'sk-abc' }, expect: { text: `Deleted: ${short('sk-abc')}` } },
    { label: 'list', tool: 'hashcheck_list', expect: { text: `Hash store (1 entries):\n  1. ${short('secret123')}` } },
  ],
};
