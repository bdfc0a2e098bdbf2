// A check's deadline (D18: speed never changes a verdict). It is not a fixed time: it grows with
// what the check asks of the target — every request it sends adds one request timeout, every
// process it starts one start timeout — so a target that answers each request within --timeout
// can never run a check out of time. The run's own stop (run deadline, Ctrl-C) ends it at once.
import type { Level } from '../harness/types.js';
import type { Transcript } from '../harness/transcript.js';
import type { Status } from './types.js';

export interface DeadlineBudget {
  /** Allowance for the harness's own work, ms (--check-timeout, default 30 s). */
  baseMs: number;
  /** Added per request the check sent (the run's --timeout). */
  perRequestMs: number;
  /** Added per target process the check started (the run's --start-timeout). */
  perStartMs: number;
}

/** The deadline passed although the check's own allowance was honoured by the target. */
export class DeadlineExceeded extends Error {
  constructor(
    message: string,
    readonly allowedMs: number,
  ) {
    super(message);
  }
}

/** The run was cut short (run deadline, interrupt) while the check ran. */
export class RunStopped extends Error {}

export interface CheckTraffic {
  /** Requests the check sent. */
  sent: number;
  /** Requests that got an answer (result or error). */
  answered: number;
  /** Requests that got no answer within the request timeout. */
  unanswered: number;
  /** Requests whose target exited before answering. */
  lost: number;
  /** Requests still waiting for their answer (each still within its own timeout). */
  inFlight: number;
}

/** What the check `id` sent from `fromSeq` on and what became of it. */
export function trafficOf(transcript: Transcript, id: string, fromSeq: number): CheckTraffic {
  let sent = 0;
  for (const e of transcript.entries) {
    if (e.seq >= fromSeq && e.dir === 'out' && e.check === id && isRequest(e.json, e.text)) sent++;
  }
  let answered = 0;
  let unanswered = 0;
  let lost = 0;
  for (const x of transcript.exchanges) {
    if (x.check !== id || x.requestSeq < fromSeq) continue;
    if (x.outcome === 'result' || x.outcome === 'error') answered++;
    else if (x.outcome === 'timeout') unanswered++;
    else if (x.outcome === 'exit') lost++;
  }
  return { sent, answered, unanswered, lost, inFlight: Math.max(0, sent - answered - unanswered - lost) };
}

function isRequest(json: unknown, text: string): boolean {
  if (typeof json === 'object' && json !== null) return 'method' in json && 'id' in json;
  // Oversized lines keep no parsed JSON: judge by the text.
  return json === undefined && /"method"\s*:/.test(text) && /"id"\s*:/.test(text);
}

/**
 * Races `work` against the check's growing deadline and the run's stop. `usage()` says how many
 * requests and process starts the check has made so far; the timer re-arms itself while the
 * allowance they earn is not used up.
 */
export async function withGrowingDeadline<T>(
  work: Promise<T>,
  budget: DeadlineBudget,
  usage: () => { requests: number; starts: number },
  id: string,
  stop?: { signal: AbortSignal; reason(): string | undefined },
): Promise<T> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const allowed = () => {
    const u = usage();
    return budget.baseMs + u.requests * budget.perRequestMs + u.starts * budget.perStartMs;
  };
  const deadline = new Promise<never>((_, reject) => {
    const arm = () => {
      // Requests and starts only add to the base allowance: while the base alone is not used
      // up, the check's traffic need not be counted (a scan of the run's transcript).
      const elapsed = performance.now() - started;
      const limit = elapsed < budget.baseMs ? budget.baseMs : allowed();
      const left = limit - elapsed;
      if (left > 0) {
        timer = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
        return;
      }
      reject(new DeadlineExceeded(`${id} did not finish within its deadline of ${Math.round(limit)} ms`, limit));
    };
    arm();
    if (stop) {
      onStop = () => reject(new RunStopped(stop.reason() ?? 'the run was cut short'));
      if (stop.signal.aborted) onStop();
      else stop.signal.addEventListener('abort', onStop, { once: true });
    }
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    if (stop && onStop) stop.signal.removeEventListener('abort', onStop);
  }
}

/**
 * The check ran past its deadline, which grows with every request it sent (D18). If the target
 * left requests unanswered past --timeout, the target kept the check from finishing (untestable,
 * saying exactly how many). If the target was still answering (requests in flight, each within
 * --timeout), slowness is no verdict: the check was not judged (incomplete). A check that had
 * everything answered and still did not finish hung in the harness: harness-error.
 */
export function missedDeadline(
  err: DeadlineExceeded,
  traffic: CheckTraffic,
  level: Level,
  requestTimeout: number,
): { status: Status; message: string } {
  const said = `${traffic.sent} request${traffic.sent === 1 ? '' : 's'} sent, ${traffic.answered} answered`;
  if (traffic.unanswered > 0) {
    return {
      status: level === 'INFO' ? 'skip' : 'untestable',
      message: `could not test: ${err.message}; the target left ${traffic.unanswered} of its ${traffic.sent} requests unanswered within the ${requestTimeout} ms request timeout (${said})`,
    };
  }
  if (traffic.inFlight > 0) {
    return {
      status: 'incomplete',
      message: `not judged: ${err.message} while the target was still answering within the ${requestTimeout} ms request timeout (${said}, ${traffic.inFlight} still in flight); raise --check-timeout`,
    };
  }
  const lost = traffic.lost > 0 ? `, ${traffic.lost} lost to the target's exit` : '';
  return { status: 'harness-error', message: `${err.message} with no request of its own pending (${said}${lost}): the harness hung` };
}
