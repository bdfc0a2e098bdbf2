// client_notes_server: the notes travel in the state token; the client sends back the newest
// token it was given (the session client does), so each session still sees only its own notes.
import fc from 'fast-check';
import { op, word, type AppModel } from './types.js';

interface Notes {
  notes: string[];
}

export const clientNotesModel: AppModel<Notes> = {
  app: 'client_notes_server',
  newData: () => ({ notes: [] }),
  operation: fc.oneof(
    word.map((text) =>
      op<Notes>('client_notes_add', { text }, `add ${JSON.stringify(text)}`, (d) => {
        d.notes.push(text);
        return { text: `Added note #${d.notes.length}: ${text}`, wrote: text };
      }),
    ),
    fc.constant(
      op<Notes>('client_notes_list', {}, 'list', (d) => ({
        text:
          d.notes.length === 0
            ? '(client notes are empty)'
            : `Client notes (${d.notes.length} items):\n${d.notes.map((t, i) => `  ${i + 1}. ${t}`).join('\n')}`,
      })),
    ),
    fc.constant(
      op<Notes>('client_notes_clear', {}, 'clear', (d) => {
        const removed = d.notes.length;
        d.notes = [];
        return { text: `Cleared ${removed} client notes.` };
      }),
    ),
    fc.constant(
      op<Notes>('client_notes_status', {}, 'status', (d, s) => ({
        text: `Session ${s.id}: ${d.notes.length} client notes, ${s.calls} calls`,
      })),
    ),
  ),
};
