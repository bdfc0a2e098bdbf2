// Demo script: echo "hello world" → whoami → echo "session persists across calls!"
import type { Scenario } from './types.js';

export const sessionRequiredScenario: Scenario = {
  app: 'session_required_server',
  summary: 'echo "hello world" → whoami → echo "session persists across calls!"',
  steps: [
    { label: 'echo "hello world"', tool: 'echo', args: { text: 'hello world' }, expect: { text: 'hello world' } },
    // calls counts every successful call in the session, this one included.
    { label: 'whoami', tool: 'whoami', expect: { text: 'Session {session}, calls=2' } },
    {
      label: 'echo "session persists across calls!"',
      tool: 'echo',
      args: { text: 'session persists across calls!' },
      expect: { text: 'session persists across calls!' },
    },
  ],
};
