// The reference client and the broken clients, run as real processes against the fixture's
// scripted stdio server (test/fixtures/client-mode/scripted-server.mjs), judged from what the
// server received. Independent of the suite's client mode: it tests the clients themselves.
// Needs a build (dist/reference-clients/).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SHOWN_IN } from '../client-mode/helpers.js';
import { judge, readInstances, type Judgement } from './wire-judge.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER = join(ROOT, 'test/fixtures/client-mode/scripted-server.mjs');
const HTTP_FRONT = join(ROOT, 'test/fixtures/client-mode/http-front.mjs');
const SCENARIOS = ['demo', 'rotating-state', 'revoked', 'expiry', 'no-capability', 'two-servers'] as const;
const DEADLINE_MS = 60_000;

interface ManifestEntry {
  client: string;
  fails: Record<string, string[]>;
  warns?: Record<string, string[]>;
}
const MANIFEST = JSON.parse(
  readFileSync(join(ROOT, 'reference-clients/broken/manifest.json'), 'utf8'),
) as ManifestEntry[];

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface Run {
  code: number | null;
  stderr: string;
  judgement: Judgement;
  instances: number;
}

const fronts: ChildProcess[] = [];
afterAll(() => fronts.forEach((front) => front.kill('SIGKILL')));

/** Starts an HTTP front (one scripted server behind it) and resolves with its URL. */
function startFront(scenario: string, logDir: string): Promise<string> {
  const front = spawn(process.execPath, [HTTP_FRONT, scenario, logDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  fronts.push(front);
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('the HTTP front did not listen within 10 s')), 10_000);
    front.stdout!.on('data', (chunk: Buffer) => {
      const url = /listening (\S+)/.exec(chunk.toString())?.[1];
      if (url) (clearTimeout(timer), done(url));
    });
  });
}

/** Runs one client file for one scenario; the fixture logs every message per server instance. */
async function runClient(file: string, scenario: string, transport: 'stdio' | 'http' = 'stdio'): Promise<Run> {
  const logDir = mkdtempSync(join(tmpdir(), 'clientref-'));
  dirs.push(logDir);
  const env: NodeJS.ProcessEnv = { ...process.env, MCP_CONFORMANCE_SCENARIO: scenario };
  if (transport === 'stdio') env.MCP_CONFORMANCE_SERVER_COMMAND = `"${process.execPath}" "${SERVER}" ${scenario} "${logDir}"`;
  else {
    env.MCP_CONFORMANCE_SERVER_URL = await startFront(scenario, logDir);
    if (scenario === 'two-servers') env.MCP_CONFORMANCE_SERVER_URL_2 = await startFront(scenario, logDir);
  }
  const child = spawn(process.execPath, [join(ROOT, 'dist/reference-clients', file)], { env, detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      fail(new Error(`${file} ${scenario}: no exit within ${DEADLINE_MS} ms\n${stderr}`));
    }, DEADLINE_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const instances = readInstances(logDir);
      done({ code, stderr, judgement: judge(instances), instances: instances.length });
    });
  });
}

function brokenIds(judgement: Judgement): string[] {
  return [...judgement.violations.keys()].sort();
}

describe.concurrent('the reference client on the fixture server', () => {
  it.each(SCENARIOS)('completes scenario %s, exits 0 and breaks no client rule', async (scenario) => {
    const run = await runClient('reference_client.js', scenario);
    expect(run.code, run.stderr).toBe(0);
    expect(Object.fromEntries(run.judgement.violations), run.stderr).toEqual({});
    expect(run.instances, 'servers started').toBe(scenario === 'two-servers' ? 2 : 1);
    // Positive controls: the judge saw the rules exercised, not an empty run.
    if (scenario !== 'no-capability') {
      const servers = run.instances;
      expect(run.judgement.statesEchoed, 'newest states sent back').toBeGreaterThanOrEqual(4 * servers);
      // Every session is deleted but the one the revoked scenario's server revoked.
      expect(run.judgement.deletes, 'sessions deleted').toBe(run.judgement.creates - (scenario === 'revoked' ? servers : 0));
      expect(run.judgement.creates).toBe((scenario === 'revoked' ? 3 : 2) * servers);
    } else {
      expect(run.judgement.creates, 'no create without the capability').toBe(0);
    }
    expect(run.stderr).toContain('every step ran');
  }, 120_000);
});

describe.concurrent('the reference client over Streamable HTTP (fixture HTTP front)', () => {
  it.each(['demo', 'revoked', 'two-servers'])('completes scenario %s, exits 0 and breaks no client rule', async (scenario) => {
    const run = await runClient('reference_client.js', scenario, 'http');
    expect(run.code, run.stderr).toBe(0);
    expect(Object.fromEntries(run.judgement.violations), run.stderr).toEqual({});
    expect(run.instances, 'servers reached').toBe(scenario === 'two-servers' ? 2 : 1);
    expect(run.judgement.statesEchoed, 'newest states sent back').toBeGreaterThanOrEqual(3 * run.instances);
  }, 120_000);
});

// Each broken client runs the first scenario it breaks its rule in (SHOWN_IN, which the full runs
// of test/client-mode/broken-clients.test.ts pin across all six scenarios with the suite's judge)
// and a control scenario where this judge must see nothing (none for id-reuses-request-ids, which
// shows in every scenario).
function brokenScenarios(client: string): string[] {
  const shown = SHOWN_IN[client]!;
  const control = SCENARIOS.find((s) => !shown.includes(s));
  return control ? [shown[0]!, control] : [shown[0]!];
}

describe.concurrent('each broken client shows exactly its defect on the wire', () => {
  it.each(MANIFEST.map((entry) => [entry.client, brokenScenarios(entry.client).join(', '), entry] as const))('%s (scenarios %s)', async (client, _, entry) => {
    const scenarios = brokenScenarios(client);
    const expected = [...new Set([...Object.values(entry.fails).flat(), ...Object.values(entry.warns ?? {}).flat()])].sort();
    const runs = await Promise.all(scenarios.map((scenario) => runClient(`broken/${client}.js`, scenario)));
    const seen = new Map<string, string[]>();
    runs.forEach((run, i) => {
      expect(run.code, `${scenarios[i]}: ${run.stderr}`).toBe(0);
      for (const [id, why] of run.judgement.violations) seen.set(id, [...(seen.get(id) ?? []), ...why.map((w) => `${scenarios[i]}: ${w}`)]);
    });
    const found = JSON.stringify(Object.fromEntries(seen), null, 1);
    expect([...seen.keys()].sort(), found).toEqual(expected);
    expect([...runs[0]!.judgement.violations.keys()].sort(), `${scenarios[0]} shows the defect: ${found}`).toEqual(expected);
    if (runs[1]) expect(Object.fromEntries(runs[1].judgement.violations), `the control scenario ${scenarios[1]}`).toEqual({});
  }, 120_000);

  it('the manifest names one broken client per CLI-* id, each with a built file', () => {
    const ids = MANIFEST.flatMap((entry) => [...Object.values(entry.fails).flat(), ...Object.values(entry.warns ?? {}).flat()]);
    expect([...new Set(ids)].sort()).toEqual(
      ['CLI-BIND-1', 'CLI-CREATE-1', 'CLI-DELETE-1', 'CLI-ERR-1', 'CLI-ID-1', 'CLI-STATE-1', 'CLI-STATE-2'],
    );
    for (const entry of MANIFEST) expect(() => readFileSync(join(ROOT, 'dist/reference-clients/broken', `${entry.client}.js`))).not.toThrow();
  });
});
