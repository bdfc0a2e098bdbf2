// Peak memory of the harness against targets that try to exhaust it: a 10 MB line (cut at the
// line cap) and a flood of 100k notifications (bounded transcript). The figures are printed.
// Two kinds of bound: the promise to users (peak RSS under 300 MB in every flood case, default
// options), and what the harness keeps of a flood (sampled live memory after full collections,
// its growth over a small run measured in the same file), which fails when a limit is removed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { Transcript } from '../../harness/transcript.js';
import { ROOT } from '../conformance/run-cli.js';
import { fixtureCommand, killLeftovers, leftoverAfter } from './helpers.js';

const MEASURE = fileURLToPath(new URL('./measure-memory.mjs', import.meta.url));
/** Node's own baseline is ~50 MB; a bounded harness stays far below this. */
const BOUND_MB = 300;

interface Figures {
  maxRssKb: number;
  /** Largest live heap + external memory sampled after a full collection (sampled runs only). */
  retainedKb?: number;
  samples?: number;
  code: number;
  wallMs: number;
}

/** `sampleMs`: sample live memory every that many ms (forced full collections, so RSS is not a user's). */
function measure(args: string[], env: Record<string, string> = {}, sampleMs = 0): Promise<{ figures?: Figures; stderr: string; exit: number | null }> {
  return new Promise((resolve) => {
    const sampling = sampleMs > 0 ? { MEASURE_SAMPLE_MS: String(sampleMs) } : {};
    const child = spawn(process.execPath, [...(sampleMs > 0 ? ['--expose-gc'] : []), MEASURE, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env, ...sampling },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.once('close', (exit) => {
      clearTimeout(guard);
      const line = stderr.split('\n').find((l) => l.startsWith('MEASURE '));
      resolve({ figures: line ? JSON.parse(line.slice('MEASURE '.length)) : undefined, stderr, exit });
    });
  });
}

interface Case {
  name: string;
  file: string;
  code: number;
  /** Also stream the full transcript to disk (--transcripts). */
  transcripts?: boolean;
  /** The fixture's environment (the CLI passes it on to the target). */
  env?: Record<string, string>;
}

// Default options (no --runs or other flags that make a run lighter): the bound must hold for
// the run a user gets.
const FLOODS: Case[] = [
  { name: 'conformant (baseline)', file: 'conformant.mjs', code: 0 },
  // Under the default 64 MiB message bound the 10 MB line is read whole (a valid response).
  { name: '10 MB line', file: 'huge-line.mjs', code: 0 },
  { name: '100k notifications', file: 'notification-flood.mjs', code: 0 },
  { name: '40 MB of stderr', file: 'stderr-flood.mjs', code: 0 },
  // Its answers come 20 ms late, not the fixture's default 100 ms: the run still lasts seconds
  // while each process's 15 MB flood is read in a fraction of one (was ~20 s per case).
  { name: '50 KB notification flood', file: 'large-notification-flood.mjs', code: 0, env: { FLOOD_DELAY_MS: '20' } },
];
const CASES: Case[] = [...FLOODS, ...FLOODS.filter((c) => c.file !== 'conformant.mjs').map((c) => ({ ...c, name: `${c.name} --transcripts`, transcripts: true }))];

const rows: string[] = [];

async function peakMb(c: Case): Promise<number> {
  const { command, marker } = fixtureCommand(c.file);
  const dir = c.transcripts ? mkdtempSync(join(tmpdir(), 'msc-memory-')) : undefined;
  try {
    const { figures, stderr, exit } = await measure(['--server', command, '--seed', '1', '-q', ...(dir ? ['--transcripts', dir] : [])], c.env);
    expect(figures, stderr).toBeDefined();
    if (dir) {
      // The transcript went to disk, all of it: the flood is in the file, not in memory.
      const files = readdirSync(dir);
      expect(files).toEqual(['transcript.jsonl']);
      // (The 10 MB line is one transcript line, cut at 8 KiB; the floods are many.)
      expect(statSync(join(dir, files[0]!)).size).toBeGreaterThan(c.file === 'huge-line.mjs' ? 1000 : 1024 * 1024);
    }
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
  // The transcript holds a byte budget (harness/transcript.ts maxBytes) and streams to disk
  // with --transcripts, so every flood is bounded.
  test.each(CASES)('$name: peak RSS under ' + BOUND_MB + ' MB', async (c) => {
    expect(await peakMb(c)).toBeLessThan(BOUND_MB);
  }, 180_000);
});

/** Live memory (MB) the harness held at most during a run of `file`, sampled every 100 ms. */
async function retainedMb(file: string, env: Record<string, string> = {}): Promise<number> {
  const { command, marker } = fixtureCommand(file);
  try {
    const { figures, stderr, exit } = await measure(['--server', command, '--seed', '1', '-q'], env, 100);
    expect(figures?.retainedKb, stderr).toBeDefined();
    expect(exit).toBe(0);
    expect(await leftoverAfter(marker, 2000)).toEqual([]);
    const mb = figures!.retainedKb! / 1024;
    rows.push(`  retained: ${file.padEnd(30)} ${mb.toFixed(1).padStart(7)} MB live (${figures!.samples} samples, ${figures!.wallMs} ms)`);
    return mb;
  } finally {
    killLeftovers(marker);
  }
}

describe('the harness keeps no more of a flood than its limits allow', () => {
  // RSS cannot show this: it grows with the bytes read even when nothing is kept (garbage V8
  // has not collected yet), so a harness that kept every line stayed under the RSS bound too.
  // What the harness may keep of a flood of 50 KB notifications: its transcript's byte budget
  // (each line cut to 8 KiB; the budget's estimate counts two bytes a character, so one-byte
  // text takes less) and nothing else (a big notification's params are kept nowhere: no inbox,
  // no notification list), plus SLACK for what is being read at the moment of a sample and the
  // per-connection lists of small messages. The flood carries far more than that: 3 processes
  // × 4000 lines × 50 KB = 600 MB, 12,000 transcript entries of 8 KiB = ~100 MB even when cut.
  // Removing the byte budget (harness/transcript.ts maxBytes), the per-line cut together with
  // it, or the peer's big-notification gate (SMALL_NOTIFICATION_CHARS) makes this fail.
  const BUDGET_MB = new Transcript().limits.maxBytes / (1024 * 1024);
  const SLACK_MB = 16;
  test('a 50 KB notification flood (600 MB) grows live memory by less than the transcript budget', async () => {
    const baseline = await retainedMb('conformant.mjs');
    const flood = await retainedMb('large-notification-flood.mjs', { FLOOD_COUNT: '4000', FLOOD_DELAY_MS: '20' });
    const growth = flood - baseline;
    expect(
      growth,
      `live memory grew ${growth.toFixed(1)} MB over a conformant run's ${baseline.toFixed(1)} MB; ` +
        `the harness may keep ${BUDGET_MB} MB of transcript + ${SLACK_MB} MB`,
    ).toBeLessThan(BUDGET_MB + SLACK_MB);
  }, 180_000);
});
