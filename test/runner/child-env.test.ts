// The test run's children start without NODE_EXTRA_CA_CERTS (test/child-env.ts: ~70 ms of CPU
// per Node start on a machine that sets it), and npm gets it back.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import setup, { withRegistryCerts } from '../child-env.js';

test('a CLI run or target started by a test has no NODE_EXTRA_CA_CERTS; npm gets the one set aside', () => {
  const child = spawnSync(process.execPath, ['-p', 'process.env.NODE_EXTRA_CA_CERTS ?? "unset"'], { encoding: 'utf8' });
  expect(child.stdout.trim()).toBe('unset');
  const aside = process.env.MSC_TEST_NODE_EXTRA_CA_CERTS;
  expect(withRegistryCerts({ A: '1' })).toEqual(aside === undefined ? { A: '1' } : { A: '1', NODE_EXTRA_CA_CERTS: aside });
});

// The test above holds trivially on a machine that sets no NODE_EXTRA_CA_CERTS: the global setup
// itself, on a variable set here (synchronously, and put back: nothing else runs meanwhile).
test('the global setup moves a set NODE_EXTRA_CA_CERTS aside for npm, and its teardown puts it back', () => {
  const saved = { extra: process.env.NODE_EXTRA_CA_CERTS, aside: process.env.MSC_TEST_NODE_EXTRA_CA_CERTS };
  const restore = (name: string, value: string | undefined) => (value === undefined ? delete process.env[name] : (process.env[name] = value));
  try {
    process.env.NODE_EXTRA_CA_CERTS = '/etc/example-ca.pem';
    delete process.env.MSC_TEST_NODE_EXTRA_CA_CERTS;
    const teardown = setup();
    expect(process.env.NODE_EXTRA_CA_CERTS).toBeUndefined();
    expect(withRegistryCerts({ A: '1' })).toEqual({ A: '1', NODE_EXTRA_CA_CERTS: '/etc/example-ca.pem' });
    teardown?.();
    expect(process.env.NODE_EXTRA_CA_CERTS).toBe('/etc/example-ca.pem');
    expect(process.env.MSC_TEST_NODE_EXTRA_CA_CERTS).toBeUndefined();
    delete process.env.NODE_EXTRA_CA_CERTS;
    expect(setup(), 'nothing to move, nothing to put back').toBeUndefined();
  } finally {
    restore('NODE_EXTRA_CA_CERTS', saved.extra);
    restore('MSC_TEST_NODE_EXTRA_CA_CERTS', saved.aside);
  }
});
