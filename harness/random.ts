// Seeded randomness: the same seed gives the same ids and inputs, so a failure reruns exactly.

export interface Random {
  next(): number; // [0, 1)
  int(min: number, max: number): number; // inclusive
  hex(chars: number): string;
  pick<T>(items: readonly T[]): T;
  /** A session id the server cannot have issued: `conformance-unknown-<hex>`. */
  unknownSessionId(): string;
}

/** 32-bit FNV-1a, to derive a per-check seed from the run seed and the check id. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createRandom(seed: number, label = ''): Random {
  let state = (seed ^ hashString(label)) >>> 0 || 0x9e3779b9;
  // mulberry32: small, fast, good enough for test inputs.
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (chars: number) => Array.from({ length: chars }, () => int(0, 15).toString(16)).join('');
  return {
    next,
    int,
    hex,
    pick: <T>(items: readonly T[]) => items[int(0, items.length - 1)] as T,
    unknownSessionId: () => `conformance-unknown-${hex(24)}`,
  };
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}
