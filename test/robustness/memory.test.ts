// Peak memory of the harness against targets that try to exhaust it: a 10 MB line (cut at the
// line cap) and a flood of 100k notifications (bounded transcript). The figures are printed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT } from '../conformance/run-cli.js';
import { fixtureCommand, killLeftovers, leftoverAfter } from './helpers.js';

const MEASURE = fileURLToPath(new URL('./measure-memory.mjs', import.meta.url));
/** Node's own baseline is ~50 MB; a bounded harness stays far below this. */
const BOUND_MB = 300;

interface Figures {
  maxRssKb: number;
  code: number;
  wallMs: number;
}

function measure(args: string[]): Promise<{ figures?: Figures; stderr: string; exit: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MEASURE, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('close', (exit) => {
      clearTimeout(guard);
      const line = stderr.split('\n').find((l) => l.startsWith('MEASURE '));
      resolve({ figures: line ? JSON.parse(line.slice('MEASURE '.length)) : undefined, stderr, exit });
    });
  });
}

const CASES = [
  { name: 'conformant (baseline)', file: 'conformant.mjs', code: 0 },
  { name: '10 MB line', file: 'huge-line.mjs', code: 1 },
  { name: '100k notifications', file: 'notification-flood.mjs', code: 0 },
];

const rows: string[] = [];

async function peakMb(c: { name: string; file: string; code: number }): Promise<number> {
  const { command, marker } = fixtureCommand(c.file);
  try {
    const { figures, stderr, exit } = await measure(['--server', command, '--seed', '1', '-q', '--runs', '5']);
    expect(figures, stderr).toBeDefined();
    const mb = figures!.maxRssKb / 1024;
    rows.push(`  ${c.name.padEnd(24)} ${mb.toFixed(1).padStart(7)} MB  (${figures!.wallMs} ms, exit ${figures!.code})`);
    expect(exit).toBe(c.code);
    expect(await leftoverAfter(marker, 2000)).toEqual([]);
    return mb;
  } finally {
    killLeftovers(marker);
  }
}
afterAll(() => console.log(`harness peak RSS (process.resourceUsage().maxRSS):\n${rows.join('\n')}`));

describe('harness memory stays bounded', () => {
  test.each(CASES)('$name: peak RSS under ' + BOUND_MB + ' MB', async (c) => {
    expect(await peakMb(c)).toBeLessThan(BOUND_MB);
  });

  // The transcript holds a byte budget (harness/transcript.ts maxBytes), so a flood of large
  // notifications is bounded like the others.
  test('a flood of 50 KB notifications: peak RSS under ' + BOUND_MB + ' MB', async () => {
    const mb = await peakMb({ name: '50 KB notification flood', file: 'large-notification-flood.mjs', code: 0 });
    expect(mb).toBeLessThan(BOUND_MB);
  });
});
