// Ctrl-C of the harness process: the onInterrupt hook runs first, then every target group is
// killed and the harness exits 130. Runs the built module (dist/) in a child Node process, since
// signalling the test worker itself would end the test run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { fixture, groupGone, processGone } from './helpers.js';

const built = fileURLToPath(new URL('../../dist/harness/process.js', import.meta.url));
const groups = fileURLToPath(new URL('../../dist/harness/process-groups.js', import.meta.url));

const script = `
import { StdioTransport } from ${JSON.stringify(built)};
import { installExitHandlers, onInterrupt } from ${JSON.stringify(groups)};
installExitHandlers();
installExitHandlers(); // idempotent
onInterrupt(async () => { process.stdout.write('hook ran\\n'); });
const t = new StdioTransport(${JSON.stringify(fixture('stubborn-grandchild'))});
t.onStderr((line) => {
  if (line.startsWith('grandchild-pid')) process.stdout.write('ready ' + t.pid + ' ' + line.split(' ')[1] + '\\n');
});
await t.start();
setInterval(() => {}, 1000);
`;

test('SIGINT runs the interrupt hook, kills every target group and exits 130', async () => {
  expect(existsSync(built), 'build first: npx tsc -p tsconfig.json').toBe(true);
  const harness = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<[number, number]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 10 s: ${out}`)), 10_000);
    harness.stdout.on('data', (d) => {
      out += d;
      const m = /ready (\d+) (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve([Number(m[1]), Number(m[2])]);
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => harness.once('exit', (code) => resolve(code)));
  const [pgid, grandchild] = await ready;
  harness.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(out).toContain('hook ran');
  // SIGKILL is delivered asynchronously; the exit above happened right after sending it.
  const deadline = Date.now() + 5000;
  while (!(groupGone(pgid) && processGone(grandchild)) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  expect(groupGone(pgid)).toBe(true);
  expect(processGone(grandchild)).toBe(true);
});
