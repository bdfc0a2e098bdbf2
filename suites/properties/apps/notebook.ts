// notebook_server: a per-session list of timestamped notes kept on the server.
import fc from 'fast-check';
import { op, word, type AppModel } from './types.js';

interface Notebook {
  notes: string[];
}

export const notebookModel: AppModel<Notebook> = {
  app: 'notebook_server',
  newData: () => ({ notes: [] }),
  // Each note line carries the time it was added: `  1. [2026-11-21T20:46:21.376852+00:00] text`.
  normalize: (text) => text.replace(/^( {2}\d+\. )\[[^\]\n]*\]/gm, '$1[time]'),
  operation: fc.oneof(
    word.map((text) =>
      op<Notebook>('notebook_append', { text }, `append ${JSON.stringify(text)}`, (d) => {
        d.notes.push(text);
        return { text: `Note added (#${d.notes.length}): ${text}`, wrote: text };
      }),
    ),
    fc.constant(
      op<Notebook>('notebook_read', {}, 'read', (d) => ({
        text:
          d.notes.length === 0
            ? '(notebook is empty)'
            : `Notebook (${d.notes.length} notes):\n${d.notes.map((t, i) => `  ${i + 1}. [time] ${t}`).join('\n')}`,
      })),
    ),
    fc.constant(
      op<Notebook>('notebook_clear', {}, 'clear', (d) => {
        const removed = d.notes.length;
        d.notes = [];
        return { text: `Notebook cleared (${removed} notes removed).` };
      }),
    ),
    fc.constant(
      op<Notebook>('notebook_status', {}, 'status', (d, s) => ({ text: `Session ${s.id}: ${d.notes.length} notes, ${s.calls} calls` })),
    ),
  ),
};
