// GitHub Actions workflow commands (`--annotations github`): one annotation per check that did not
// pass, titled with its id, so a job page lists each failure without opening the log.
//   fail, untestable, incomplete, harness-error → ::error     warn → ::warning (::error under --strict)
//   an expected failure that still fails → ::notice           a stale expected failure → ::error
//   a run incident → ::warning (::error under --strict)       a fatal run with no failing check → ::error
// The runner trims a line before it looks for `::`, so anything a target wrote that reaches the
// log (its messages, stderr tail) could pose as a command: the CLI wraps its report in
// ::stop-commands:: … ::<token>:: (commandGuard) and prints the annotations after it.
import type { CheckResult, RunResult } from '../runner/types.js';
import { expectedFailureFor, explainCommand, isProblem, sortChecks } from './model.js';

type Kind = 'error' | 'warning' | 'notice';

/** Data of a workflow command: %, CR and LF escaped (actions/toolkit escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also : and , escaped (actions/toolkit escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function workflowCommand(kind: Kind, title: string, message: string): string {
  return `::${kind} title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** One line: the finding and the fix, with the command that explains the check. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Ends a sentence: a full stop unless it already has one. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function checkMessage(c: CheckResult, prefix: string): string {
  const fix = c.fix ? ` Fix: ${sentence(oneLine(c.fix))}` : '';
  return `${prefix}${c.status} (${c.level}): ${sentence(oneLine(c.message))}${fix} (${explainCommand(c.id)})`;
}

export interface AnnotationOptions {
  /** Named before each message when several targets ran (--reference all). */
  target?: string;
}

/** The annotation lines of one run, in check order (no trailing newline). */
export function githubAnnotations(run: RunResult, opts: AnnotationOptions = {}): string[] {
  const prefix = opts.target ? `[${opts.target}] ` : '';
  const out: string[] = [];
  const checks = sortChecks(run.checks);
  for (const c of checks) {
    if (!isProblem(c.status) && c.status !== 'warn') continue;
    const ef = expectedFailureFor(run, c.id);
    if (ef?.stillFails) {
      out.push(workflowCommand('notice', c.id, `${prefix}expected failure (${oneLine(ef.reason) || 'no reason given'}): ${checkMessage(c, '')}`));
      continue;
    }
    const kind: Kind = c.status === 'warn' && !run.strict ? 'warning' : 'error';
    out.push(workflowCommand(kind, c.id, checkMessage(c, prefix)));
  }
  for (const ef of run.expectedFailures ?? []) {
    if (ef.stillFails || !checks.some((c) => c.id === ef.id)) continue;
    out.push(workflowCommand('error', ef.id, `${prefix}listed in --expected-failures but did not fail: remove it from the list (${explainCommand(ef.id)})`));
  }
  for (const i of run.incidents ?? []) {
    out.push(workflowCommand(run.strict ? 'error' : 'warning', `incident: ${i.kind}`, `${prefix}${oneLine(i.message)} (checks in flight: ${i.checks.join(', ')})`));
  }
  if (run.fatal && !checks.some((c) => isProblem(c.status))) {
    out.push(workflowCommand('error', run.tool.name, `${prefix}${run.fatal.kind}: ${oneLine(run.fatal.message)}`));
  }
  if (run.stopped) out.push(workflowCommand('error', run.tool.name, `${prefix}incomplete: ${oneLine(run.stopped)}`));
  return out;
}

/**
 * The lines that stop and resume workflow-command processing around output a target may have
 * shaped; `token` must not be guessable by the target (a random one per run).
 */
export function commandGuard(token: string): { stop: string; resume: string } {
  return { stop: `::stop-commands::${token}`, resume: `::${token}::` };
}
