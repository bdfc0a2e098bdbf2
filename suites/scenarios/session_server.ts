// session_server has no demo script line of its own; the brief's scenario: the call count
// grows by one per call inside the session and the note comes back.
import type { Scenario } from './types.js';

export const sessionServerScenario: Scenario = {
  app: 'session_server',
  summary: 'session_probe note "hello" → session_probe note "hello"',
  steps: [
    { label: 'probe "hello"', tool: 'session_probe', args: { note: 'hello' }, expect: { text: 'session active id={session}, calls=1, note=hello' } },
    { label: 'probe "hello" again', tool: 'session_probe', args: { note: 'hello' }, expect: { text: 'session active id={session}, calls=2, note=hello' } },
  ],
};
