// How guessable a sample of session ids is (SESS-ID-2, decision D10): a positional entropy
// estimate and a test for counters and clocks. Pure functions, unit-tested in
// test/suites/create.test.ts.

function commonPrefix(items: string[]): string {
  if (items.length === 0) return '';
  let p = items[0]!;
  for (const s of items) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** The constant head and tail of a set of ids, and the varying middle of each. */
export function splitConstantParts(ids: string[]): { prefix: string; suffix: string; cores: string[] } {
  const prefix = commonPrefix(ids);
  const rests = ids.map((id) => id.slice(prefix.length));
  const reversed = commonPrefix(rests.map((r) => [...r].reverse().join('')));
  const suffix = [...reversed].reverse().join('');
  return { prefix, suffix, cores: rests.map((r) => r.slice(0, r.length - suffix.length)) };
}

export interface EntropyEstimate {
  /** Estimated bits of entropy per id. */
  bits: number;
  prefix: string;
  suffix: string;
  /** Positions of the varying part where more than one character was seen. */
  varyingPositions: number;
  /** Characters seen at the varying positions. */
  alphabetSize: number;
  /** Distinct ids the estimate rests on. */
  sample: number;
}

/**
 * Estimates the entropy of one id from a sample of distinct ids (positional estimator):
 * strip the prefix and suffix every id shares; at each position of what is left, count the
 * characters seen there (d). The alphabet A is every character seen at a position where
 * d ≥ 2. A position whose d exceeds |A|/2 looks drawn from the whole alphabet and counts
 * log2|A| bits; a position with fewer choices (a UUID's variant nibble, the slow digits of a
 * clock) counts log2(d); a constant position counts 0. The sum is the estimate.
 * It assumes positions are independent, so it cannot see structure a hash hides (a hashed
 * counter looks random): it flags weak ids, it does not prove strong ones.
 * With 100 ids, `sess-<32 hex>` gives 32 × 4 = 128 bits, `sess-<12 hex>` 48 bits, a v4 UUID 122.
 */
export function estimateIdEntropy(ids: string[]): EntropyEstimate {
  const distinct = [...new Set(ids)];
  const { prefix, suffix, cores } = splitConstantParts(distinct);
  const chars = cores.map((c) => [...c]);
  const longest = Math.max(0, ...chars.map((c) => c.length));
  const seenAt: Set<string>[] = [];
  for (let i = 0; i < longest; i++) seenAt.push(new Set(chars.filter((c) => c.length > i).map((c) => c[i]!)));
  const alphabet = new Set<string>();
  for (const set of seenAt) if (set.size >= 2) for (const ch of set) alphabet.add(ch);
  let bits = 0;
  let varyingPositions = 0;
  for (const set of seenAt) {
    if (set.size < 2) continue;
    varyingPositions++;
    bits += set.size > alphabet.size / 2 ? Math.log2(alphabet.size) : Math.log2(set.size);
  }
  return { bits: Math.round(bits * 10) / 10, prefix, suffix, varyingPositions, alphabetSize: alphabet.size, sample: distinct.length };
}

/**
 * Says how the ids are sequential, if they are: the varying part reads as a number (decimal, or
 * hex) and the values are packed densely (a counter, or a clock), or they step by a constant.
 * Other clients' creates may interleave, so a dense span counts, not only a step of 1.
 */
export function sequentialPattern(ids: string[]): string | undefined {
  const distinct = [...new Set(ids)];
  if (distinct.length < 3) return undefined;
  const { prefix, suffix, cores } = splitConstantParts(distinct);
  const radix = cores.every((c) => /^\d{1,40}$/.test(c)) ? 10 : cores.every((c) => /^[0-9a-f]{1,40}$/i.test(c)) ? 16 : 0;
  if (radix === 0) return undefined;
  const values = cores.map((c) => (radix === 10 ? BigInt(c) : BigInt(`0x${c}`)));
  const shape = `${prefix}<${radix === 10 ? 'number' : 'hex number'}>${suffix}`;
  const steps = values.slice(1).map((v, i) => v - values[i]!);
  if (steps.every((s) => s === steps[0])) return `the ids follow ${shape}, stepping by ${steps[0]} from one create to the next`;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const span = sorted.at(-1)! - sorted[0]!;
  if (span <= BigInt(1000 * distinct.length)) {
    return `the ids follow ${shape} and ${distinct.length} ids span only ${span} values (a counter or a clock)`;
  }
  return undefined;
}

const UUID_V4 = /[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}/i;
export const MIN_ID_BITS = 128;

/** Why a sample of ids looks guessable (empty: it does not). */
export function guessability(ids: string[]): { problems: string[]; estimate: EntropyEstimate; uuid: boolean } {
  const estimate = estimateIdEntropy(ids);
  const problems: string[] = [];
  const sequential = sequentialPattern(ids);
  if (sequential) problems.push(sequential);
  // The draft names UUIDs as unguessable ids; a v4 UUID has 122 random bits, so it is accepted.
  const uuid = ids.length > 0 && ids.every((id) => UUID_V4.test(id)) && estimate.bits >= 118;
  if (estimate.bits < MIN_ID_BITS && !uuid) {
    const constant = [
      estimate.prefix && `prefix ${JSON.stringify(estimate.prefix)}`,
      estimate.suffix && `suffix ${JSON.stringify(estimate.suffix)}`,
    ].filter(Boolean);
    const after = constant.length > 0 ? `, besides the constant ${constant.join(' and ')}` : '';
    problems.push(
      `estimated ${estimate.bits} bits per id (${estimate.varyingPositions} varying characters over an alphabet of ${estimate.alphabetSize}${after}), below ${MIN_ID_BITS}`,
    );
  }
  return { problems, estimate, uuid };
}
