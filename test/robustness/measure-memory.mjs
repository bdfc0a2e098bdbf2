#!/usr/bin/env node
// Runs the built CLI's logic in this process and reports this process's memory (the harness
// alone: the targets are other processes and do not count). Usage: the CLI's own arguments.
// The CLI's output goes to stdout as usual; the last stderr line is
// `MEASURE {"maxRssKb":…,"retainedKb":…,"samples":…,"code":…,"wallMs":…}`.
//
// maxRssKb is the peak RSS (process.resourceUsage().maxRSS). RSS alone cannot tell what the
// harness keeps from garbage V8 has not collected yet (it grows with the bytes read even when
// nothing is kept). With MEASURE_SAMPLE_MS set and node started with --expose-gc, every that
// many milliseconds during the run a full collection runs and the live heap plus external
// memory is sampled: retainedKb is the largest sample, what the harness actually held.
import { execute } from '../../dist/cli/app.js';
import { parseInvocation } from '../../dist/cli/args.js';
import { installExitHandlers } from '../../dist/harness/process-groups.js';

const started = performance.now();
const sampleMs = Number(process.env.MEASURE_SAMPLE_MS ?? 0);
let retained = 0;
let samples = 0;
function sample() {
  globalThis.gc();
  const m = process.memoryUsage();
  retained = Math.max(retained, m.heapUsed + m.external);
  samples++;
}
if (sampleMs > 0 && typeof globalThis.gc !== 'function') throw new Error('MEASURE_SAMPLE_MS needs node --expose-gc');
const timer = sampleMs > 0 ? setInterval(sample, sampleMs) : undefined;
installExitHandlers();
const code = await execute(parseInvocation(process.argv.slice(2)), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  color: false,
});
if (timer) clearInterval(timer);
const figures = {
  maxRssKb: process.resourceUsage().maxRSS,
  ...(sampleMs > 0 ? { retainedKb: Math.round(retained / 1024), samples } : {}),
  code,
  wallMs: Math.round(performance.now() - started),
};
process.stderr.write(`MEASURE ${JSON.stringify(figures)}\n`);
process.exitCode = code;
