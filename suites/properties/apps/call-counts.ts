// The two call-count applications: session_required_server (echo / whoami `calls=<n>`) and
// session_server (session_probe: `calls=<n>` and the note). Their per-session data is the
// call count itself, which the runner keeps for every application.
import fc from 'fast-check';
import { op, word, type AppModel } from './types.js';

export const sessionRequiredModel: AppModel<null> = {
  app: 'session_required_server',
  newData: () => null,
  operation: fc.oneof(
    word.map((text) => op<null>('echo', { text }, `echo ${JSON.stringify(text)}`, () => ({ text }))),
    fc.constant(op<null>('whoami', {}, 'whoami', (_d, s) => ({ text: `Session ${s.id}, calls=${s.calls}` }))),
  ),
};

export const sessionServerModel: AppModel<null> = {
  app: 'session_server',
  newData: () => null,
  operation: fc.option(word, { nil: undefined }).map((note) =>
    op<null>(
      'session_probe',
      note === undefined ? {} : { note },
      note === undefined ? 'probe' : `probe note=${JSON.stringify(note)}`,
      (_d, s) => ({ text: `session active id=${s.id}, calls=${s.calls}, note=${note ?? 'none'}` }),
    ),
  ),
};
