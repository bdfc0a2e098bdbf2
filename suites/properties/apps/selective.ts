// selective_session_server: a per-session counter behind session-only tools.
import fc from 'fast-check';
import { op, type AppModel } from './types.js';

interface Counter {
  counter: number;
}

export const selectiveModel: AppModel<Counter> = {
  app: 'selective_session_server',
  newData: () => ({ counter: 0 }),
  operation: fc.oneof(
    fc.constant(
      op<Counter>('session_counter_inc', {}, 'counter_inc', (d, s) => {
        d.counter += 1;
        return { text: `session counter for ${s.id}: ${d.counter}`, wrote: `counter ${d.counter}` };
      }),
    ),
    fc.constant(op<Counter>('session_counter_get', {}, 'counter_get', (d, s) => ({ text: `session counter for ${s.id}: ${d.counter}` }))),
  ),
};
