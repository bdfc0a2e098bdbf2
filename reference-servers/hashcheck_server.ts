// Port of hashcheck_server.py: a per-session set of SHA-256 digests; no state token.

import { createHash } from 'node:crypto';
import { isMain, runSessionServer, type ServerSpec } from './session-base.js';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const short = (hex: string) => `${hex.slice(0, 16)}...`;

export const hashcheckServer: ServerSpec<{ hashes: Set<string> }> = {
  name: 'hashcheck',
  newData: () => ({ hashes: new Set() }),
  tools: [
    {
      name: 'hashcheck_store',
      description: '',
      properties: [{ name: 'text', kind: 'required' }],
      session: 'required',
      run: ({ session, args }) => {
        const hex = digest(args.text!);
        session!.data.hashes.add(hex);
        return { text: `Stored sha256 digest ${short(hex)} (${session!.data.hashes.size} total)` };
      },
    },
    {
      name: 'hashcheck_verify',
      description: '',
      properties: [{ name: 'text', kind: 'required' }],
      session: 'required',
      run: ({ session, args }) => {
        const hex = digest(args.text!);
        return { text: `${session!.data.hashes.has(hex) ? 'MATCH' : 'NOT FOUND'} for ${short(hex)}` };
      },
    },
    {
      name: 'hashcheck_list',
      description: '',
      session: 'required',
      run: ({ session }) => {
        const entries = [...session!.data.hashes].sort();
        if (entries.length === 0) return { text: '(no hashes stored)' };
        const lines = entries.map((hex, i) => `  ${i + 1}. ${short(hex)}`);
        return { text: `Hash store (${entries.length} entries):\n${lines.join('\n')}` };
      },
    },
    {
      name: 'hashcheck_delete',
      description: '',
      properties: [{ name: 'text', kind: 'required' }],
      session: 'required',
      run: ({ session, args }) => {
        const hex = digest(args.text!);
        const deleted = session!.data.hashes.delete(hex);
        return { text: `${deleted ? 'Deleted' : 'Not found'}: ${short(hex)}` };
      },
    },
  ],
};

if (isMain(import.meta.url)) void runSessionServer(hashcheckServer);
