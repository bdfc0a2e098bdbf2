// hashcheck_server: a per-session set of SHA-256 digests.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { op, word, type AppModel } from './types.js';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const short = (hex: string) => `${hex.slice(0, 16)}...`;

interface Hashes {
  hashes: Set<string>;
}

export const hashcheckModel: AppModel<Hashes> = {
  app: 'hashcheck_server',
  newData: () => ({ hashes: new Set() }),
  operation: fc.oneof(
    word.map((text) =>
      op<Hashes>('hashcheck_store', { text }, `store ${JSON.stringify(text)}`, (d) => {
        d.hashes.add(digest(text));
        return { text: `Stored sha256 digest ${short(digest(text))} (${d.hashes.size} total)`, wrote: short(digest(text)) };
      }),
    ),
    word.map((text) =>
      op<Hashes>('hashcheck_verify', { text }, `verify ${JSON.stringify(text)}`, (d) => ({
        text: `${d.hashes.has(digest(text)) ? 'MATCH' : 'NOT FOUND'} for ${short(digest(text))}`,
      })),
    ),
    fc.constant(
      op<Hashes>('hashcheck_list', {}, 'list', (d) => {
        const sorted = [...d.hashes].sort();
        return {
          text:
            sorted.length === 0
              ? '(no hashes stored)'
              : `Hash store (${sorted.length} entries):\n${sorted.map((h, i) => `  ${i + 1}. ${short(h)}`).join('\n')}`,
        };
      }),
    ),
    word.map((text) =>
      op<Hashes>('hashcheck_delete', { text }, `delete ${JSON.stringify(text)}`, (d) => ({
        text: `${d.hashes.delete(digest(text)) ? 'Deleted' : 'Not found'}: ${short(digest(text))}`,
      })),
    ),
  ),
};
