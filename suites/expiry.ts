// Expiry (draft §Wire format, `expiresAt`; decision D9): a time hint the server may move on
// any response. Its format is a SHOULD; where it lies in time is reported, never failed.
import { allowingRevocation, defineCheck, fail, skip, type CheckDef } from './check.js';
import { echoOf, isObject, newSession, quote, useLiveSession } from './expect.js';
import { provokeSessionTraffic, sessionMetadataSeen } from './use.js';

// RFC 3339 §5.6 `date-time`: full-date "T" full-time, with a "Z" or numeric offset; T and Z may be
// lower case (§5.6 note); no space separator, no missing seconds, no missing offset.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Whether `text` is an RFC 3339 date-time, field ranges included (Feb 30 is not a date). */
export function isRfc3339DateTime(text: string): boolean {
  const m = RFC3339.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days) return false;
  if (hour > 23 || minute > 59 || second > 60) return false; // 60: a leap second
  if (m[8] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}

export const SESS_EXP_1 = defineCheck({
  id: 'SESS-EXP-1',
  title: 'every expiresAt the server sends is an RFC 3339 date-time',
  how: 'parses every expiresAt seen in the run as an RFC 3339 date-time',
  section: 'expiry',
  spec: 'draft §Wire format (expiresAt: ISO 8601 time); decision D9 (RFC 3339 is a SHOULD); whole run',
  needs: ['sessions'],
  phase: 'observe',
  async run(ctx) {
    await provokeSessionTraffic(ctx);
    const values = sessionMetadataSeen(ctx).filter((s) => isObject(s.value) && typeof s.value.expiresAt === 'string');
    const bad = values.filter((s) => !isRfc3339DateTime((s.value as { expiresAt: string }).expiresAt));
    if (bad.length === 0) {
      // A non-string expiresAt fails the SessionMetadata schema: SESS-CREATE-1 / SESS-USE-2 judge it.
      if (values.length === 0) skip('not applicable: the server sent no expiresAt (as a string) in this run, so there is no value to judge');
      return { message: `all ${values.length} expiresAt values are RFC 3339 date-times` };
    }
    const distinct = [...new Set(bad.map((s) => (s.value as { expiresAt: string }).expiresAt))];
    fail({
      message: `${bad.length} of ${values.length} expiresAt values are not RFC 3339 date-times`,
      expected: 'an RFC 3339 date-time such as "2026-03-01T00:00:00Z" or "2026-03-01T00:00:00.5+01:00"',
      actual: distinct.slice(0, 3).map((v) => quote(v, 60)).join(', '),
      fix: 'format expiresAt as an RFC 3339 date-time in UTC, e.g. new Date(t).toISOString() or datetime.isoformat() with a timezone',
      entries: bad.slice(0, 3).map((s) => s.entry),
      details: { invalid: bad.length, seen: values.length },
    });
  },
});

const SKEW_MS = 5000;
const CALLS = 3;

/** A span as a reader wants it: whole minutes past two minutes, else whole seconds. */
function span(ms: number): string {
  const abs = Math.abs(ms);
  return abs >= 120_000 ? `${Math.round(abs / 60_000)} min` : `${Math.round(abs / 1000)} s`;
}

function movementOf(times: (number | undefined)[]): string {
  const known = times.filter((t): t is number => t !== undefined);
  if (known.length < times.length) return known.length === 0 ? 'was not echoed (or not as a date-time)' : 'was echoed on some calls only';
  const steps = known.slice(1).map((t, i) => t - known[i]!);
  if (steps.every((d) => d === 0)) return 'stayed the same';
  if (steps.every((d) => d >= 0)) return 'moved forward';
  if (steps.every((d) => d <= 0)) return 'moved backward';
  return 'moved back and forth';
}

export const SESS_EXP_2 = defineCheck({
  id: 'SESS-EXP-2',
  title: 'report whether expiresAt lies in the future when issued and how it moves over calls',
  how: 'reports whether expiresAt lies in the future when issued and how it moves over calls (informational)',
  section: 'expiry',
  spec: 'draft §Wire format (expiresAt is a hint the server may move); decision D9',
  needs: ['sessions', 'probeTool'],
  async run(ctx) {
    const client = await ctx.client();
    const seen = await allowingRevocation(async () => {
      const session = await newSession(client);
      const issuedAt = Date.now();
      const echoed: unknown[] = [];
      for (let call = 0; call < CALLS; call++) {
        const outcome = await useLiveSession(client, ctx, session, `call ${call + 1}`, 'a session the server just created must be usable');
        const echo = echoOf(outcome, ctx);
        echoed.push(isObject(echo) ? echo.expiresAt : undefined);
      }
      return { issued: session.expiresAt as unknown, issuedAt, echoed };
    });
    const parse = (v: unknown) => (typeof v === 'string' && isRfc3339DateTime(v) ? Date.parse(v) : undefined);
    const movement = movementOf(seen.echoed.map(parse));
    if (seen.issued === undefined) {
      const also = seen.echoed.some((v) => v !== undefined) ? `; echoes carry expiresAt (${movement})` : '; echoes carry none either';
      return { message: `the create result carries no expiresAt${also}`, details: { issued: 'absent', movement } };
    }
    const issued = parse(seen.issued);
    if (issued === undefined) {
      return {
        message: `expiresAt ${quote(seen.issued, 60)} is not an RFC 3339 date-time, so where it lies in time cannot be told (see SESS-EXP-1)`,
        details: { issued: 'not a date-time', value: seen.issued, movement },
      };
    }
    const ahead = issued - seen.issuedAt;
    const when = ahead >= 0 ? `${span(ahead)} ahead` : ahead >= -SKEW_MS ? 'at the time of issue (within clock skew)' : `${span(ahead)} in the past`;
    const details = { issued: ahead >= 0 ? 'future' : ahead >= -SKEW_MS ? 'now, within clock skew' : 'past', when, movement, calls: CALLS };
    if (ahead < -SKEW_MS) {
      fail({
        message: `expiresAt lies ${when} when the session is created; over ${CALLS} calls it ${movement}`,
        expected: `an expiresAt later than the time of issue (allowing ${SKEW_MS / 1000} s of clock skew)`,
        actual: `expiresAt ${quote(seen.issued)}`,
        fix: 'compute expiresAt as now plus the session lifetime, in UTC',
        details,
      });
    }
    return { message: `expiresAt lies ${when} when the session is created; over ${CALLS} calls it ${movement}`, details };
  },
});

export const expiryChecks: CheckDef[] = [SESS_EXP_1, SESS_EXP_2];
