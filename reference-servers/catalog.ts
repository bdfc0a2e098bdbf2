// The six reference servers: names, compiled entry files and how to start them.

import { fileURLToPath } from 'node:url';
import { serverWords } from './launch.js';

export interface ReferenceServerEntry {
  /** The original's file name without `.py`, e.g. `session_server`. */
  name: string;
  /** The compiled entry, relative to the package root. */
  file: string;
  tools: string[];
  description: string;
}

const entry = (name: string, tools: string[], description: string): ReferenceServerEntry => ({
  name,
  file: `dist/reference-servers/${name}.js`,
  tools,
  description,
});

export const REFERENCE_SERVERS: ReferenceServerEntry[] = [
  entry('session_server', ['session_probe'], 'minimal reference: call count in a base64 state token'),
  entry('session_required_server', ['echo', 'whoami'], 'every tool requires a session; no state'),
  entry(
    'notebook_server',
    ['notebook_append', 'notebook_read', 'notebook_clear', 'notebook_status'],
    'per-session notes kept on the server; no state',
  ),
  entry(
    'hashcheck_server',
    ['hashcheck_store', 'hashcheck_verify', 'hashcheck_list', 'hashcheck_delete'],
    'per-session set of SHA-256 digests; no state',
  ),
  entry(
    'selective_session_server',
    ['public_echo', 'session_start', 'session_reset', 'session_counter_inc', 'session_counter_get'],
    'public tools next to session-only counter tools; sessions also start and end by tool call',
  ),
  entry(
    'client_notes_server',
    ['client_notes_add', 'client_notes_list', 'client_notes_clear', 'client_notes_status'],
    'notes carried in the state token (base64 of {"notes":[…]}); expiresAt not refreshed',
  ),
];

/** Absolute path of a compiled server, next to this (compiled) catalog module. */
export function referenceServerPath(name: string): string {
  const known = REFERENCE_SERVERS.find((s) => s.name === name);
  if (!known) {
    throw new Error(`unknown reference server: ${name} (known: ${REFERENCE_SERVERS.map((s) => s.name).join(', ')})`);
  }
  return fileURLToPath(new URL(`./${name}.js`, import.meta.url));
}

/** Double-quotes a word for /bin/sh, escaping the characters still special inside "…". */
export function shellQuote(word: string): string {
  return `"${word.replace(/["\\$`]/g, (c) => `\\${c}`)}"`;
}

/**
 * A /bin/sh command line that starts the named server, e.g. for `--server "<cmd>"`: from the
 * build's start-up snapshot when this Node made it (launch.ts), else from its file.
 */
export function referenceCommand(name: string, draft?: string): string {
  referenceServerPath(name); // throws for an unknown name
  const parts = serverWords(name).map(shellQuote);
  if (draft !== undefined) parts.push('--draft', shellQuote(draft));
  return parts.join(' ');
}
