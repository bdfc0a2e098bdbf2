// The test run's children start without NODE_EXTRA_CA_CERTS (test/child-env.ts: ~70 ms of CPU
// per Node start on a machine that sets it), and npm gets it back.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { withRegistryCerts } from '../child-env.js';

test('a CLI run or target started by a test has no NODE_EXTRA_CA_CERTS; npm gets the one set aside', () => {
  const child = spawnSync(process.execPath, ['-p', 'process.env.NODE_EXTRA_CA_CERTS ?? "unset"'], { encoding: 'utf8' });
  expect(child.stdout.trim()).toBe('unset');
  const aside = process.env.MSC_TEST_NODE_EXTRA_CA_CERTS;
  expect(withRegistryCerts({ A: '1' })).toEqual(aside === undefined ? { A: '1' } : { A: '1', NODE_EXTRA_CA_CERTS: aside });
});
