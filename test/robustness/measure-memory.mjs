#!/usr/bin/env node
// Runs the built CLI's logic in this process and reports this process's peak RSS (the
// harness alone: the targets are other processes and do not count). Usage: the CLI's own
// arguments. The CLI's output goes to stdout as usual; the last stderr line is
// `MEASURE {"maxRssKb":…,"code":…,"wallMs":…}`.
import { execute } from '../../dist/cli/app.js';
import { parseInvocation } from '../../dist/cli/args.js';
import { installExitHandlers } from '../../dist/harness/process.js';

const started = performance.now();
installExitHandlers();
const code = await execute(parseInvocation(process.argv.slice(2)), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  color: false,
});
const figures = { maxRssKb: process.resourceUsage().maxRSS, code, wallMs: Math.round(performance.now() - started) };
process.stderr.write(`MEASURE ${JSON.stringify(figures)}\n`);
process.exitCode = code;
