// Runs the protocol model and SESS-ISO-1 in-process against a built server (dist/), through the
// real runner and real child processes, and reads back what the model found.
import { fileURLToPath } from 'node:url';
import { loadProfile } from '../../runner/profiles.js';
import { runSuite } from '../../runner/runner.js';
import type { CheckResult } from '../../runner/types.js';
import { defineCheck, type Finding } from '../../suites/check.js';
import { modelFindings } from '../../suites/model-findings.js';
import '../../suites/properties/protocol-model.js';
import { SESS_ISO_1 } from '../../suites/properties/isolation.js';
import { brokenServer, referenceServer } from '../conformance/run-cli.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const REFERENCE_SERVERS = [
  'session_server',
  'session_required_server',
  'notebook_server',
  'hashcheck_server',
  'selective_session_server',
  'client_notes_server',
];

/**
 * The shell command of a built server, `name` `notebook_server` or `broken/prop-…`: started as
 * `--reference` starts it (from the build's start-up snapshot when this Node made it).
 */
export function serverCommand(name: string, draft: string): string {
  return name.startsWith('broken/') ? brokenServer(name.slice('broken/'.length), draft) : referenceServer(name, draft);
}

export interface ModelRun {
  /** The protocol model's findings by check id. */
  findings: Record<string, Finding>;
  /** Cases the protocol model ran, and its wall time (from its transcript note). */
  cases: number;
  modelMs: number;
  iso: CheckResult;
  /** Requests the model sent whose state carried an unpaired surrogate escape (\ud800…). */
  loneSurrogateStates: number;
}

/** A check that only asks for the model's findings (an id the profiles hold, so it runs). */
const askModel = defineCheck({
  id: 'SESS-ID-4',
  title: 'protocol model findings',
  section: 'ids',
  spec: 'test',
  async run(ctx) {
    const findings = await modelFindings(ctx);
    return { message: 'model ran', details: { findings: Object.fromEntries(findings) } };
  },
});

/**
 * `app`: the application the target is declared as (D15); by default a reference server is
 * declared as itself, as `--reference` does; `null`: undeclared (the noninterference runs).
 */
export async function runModel(server: string, draft: string, seed: number, runs = 25, app?: string | null): Promise<ModelRun> {
  const declared = app === undefined ? (REFERENCE_SERVERS.includes(server) ? server : undefined) : (app ?? undefined);
  const { run, transcript } = await runSuite({
    target: { command: serverCommand(server, draft), startTimeout: 20_000, requestTimeout: 5000 },
    targetLabel: server,
    profile: loadProfile(draft),
    seed,
    jobs: 2,
    runs,
    app: declared,
    rerun: (id) => `rerun ${id}`,
    checks: [askModel, SESS_ISO_1],
  });
  const note = transcript.entries.find((e) => e.dir === 'event' && e.text.startsWith('protocol model:'))?.text ?? '';
  const [, cases = '0', ms = '0'] = /(\d+) cases .*?, (\d+) ms/.exec(note) ?? [];
  const asked = run.checks.find((c) => c.id === 'SESS-ID-4')!;
  if (asked.status !== 'pass') throw new Error(`model check ended ${asked.status}: ${asked.message}`);
  return {
    findings: (asked.details?.findings ?? {}) as Record<string, Finding>,
    cases: Number(cases),
    modelMs: Number(ms),
    iso: run.checks.find((c) => c.id === 'SESS-ISO-1')!,
    loneSurrogateStates: transcript.entries.filter((e) => e.dir === 'out' && /"state":"[^"]*\\ud[89ab]/.test(e.text)).length,
  };
}
