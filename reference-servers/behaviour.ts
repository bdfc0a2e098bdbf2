// Every overridable behaviour of a reference server, and the defaults that make it conform.
//
// A broken variant replaces one of these (see README.md, "Breaking a server"); everything else
// stays the reference behaviour. Hooks get the runtime so they can reach the store and the
// other hooks; an override given as a function also receives the default behaviour as `base`.

import {
  invalidParams,
  sessionNotFound,
  sessionRequired,
  RpcError,
} from './rpc-error.js';
import { readSessionMeta, type SessionMetaRead, type SessionMetadata } from './session-meta.js';
import {
  expiryFrom,
  formatExpiry,
  mintSessionId,
  SessionStore,
  type SessionRecord,
} from './session-store.js';
import type { PropertySpec, ToolArgs } from './tool-args.js';
import type { WireControl, WireHookResult, WireMessage } from './wire.js';

export type Draft = '2026-02-27' | '2026-03-13';
export const DRAFTS: readonly Draft[] = ['2026-02-27', '2026-03-13'];

/** How a tool treats session metadata. */
export type SessionPolicy = 'required' | 'optional' | 'none';

export interface ToolContext<D> {
  tool: string;
  args: ToolArgs;
  /** The live session the request named; always set for `required` tools. */
  session?: SessionRecord<D>;
  /** The session metadata exactly as the request carried it. */
  incoming?: SessionMetadata;
  /** The raw `tools/call` request. */
  request: WireMessage;
  runtime: Runtime<D>;
}

export interface ToolOutcome {
  text: string;
  isError?: boolean;
  /** Replaces the default echo: an object goes into `_meta` as is; `null` leaves `_meta` out. */
  echo?: SessionMetadata | null;
}

export interface ToolSpec<D> {
  name: string;
  description: string;
  properties?: PropertySpec[];
  session: SessionPolicy;
  run(ctx: ToolContext<D>): ToolOutcome | Promise<ToolOutcome>;
}

/** What one server is: its name, tools and state behaviour. */
export interface ServerSpec<D> {
  /** `serverInfo.name`, as the original reports it. */
  name: string;
  tools: ToolSpec<D>[];
  /** Fresh per-session application data. */
  newData(): D;
  /** The state token for a session (create result and echoes); absent: the server issues none. */
  issueState?(session: SessionRecord<D>): string;
  /** Reads the incoming state before the tool runs (only for servers whose state carries data). */
  acceptState?(session: SessionRecord<D>, incoming: SessionMetadata): void;
  /** Whether use moves `expiresAt` 30 minutes ahead (default true; client_notes keeps it). */
  slideExpiry?: boolean;
  /** Key order of the create result's session object (cosmetic; default sessionId, state, expiresAt). */
  createOrder?: ('sessionId' | 'state' | 'expiresAt')[];
}

export interface Runtime<D> {
  spec: ServerSpec<D>;
  store: SessionStore<D>;
  behaviour: Behaviour<D>;
}

export interface Behaviour<D> {
  draft: Draft;
  serverInfo: { name: string; version: string };
  /** The `capabilities` object of the initialize result, sent exactly as given. */
  capabilities: Record<string, unknown>;
  /** The protocol version to answer for the one the client asked for. */
  negotiateVersion(requested: unknown): string;

  mintSessionId(): string;
  now(): Date;
  formatExpiry(date: Date): string;
  readSessionMeta(params: unknown): SessionMetaRead;

  /** `sessions/create` whose `_meta` carries a session object: the error to answer, or null to go on. */
  onCreateWithSession(params: unknown): Error | null;
  /** Whether `sessions/create` and `sessions/delete` exist at all (false: both answer -32601). */
  sessionMethods: boolean;
  /** Mints, stores and returns a new session (also selective `session_start`, which passes no params). */
  createSession(runtime: Runtime<D>, params?: unknown): SessionRecord<D>;
  /** The `sessions/create` result for a new session. */
  createResult(session: SessionRecord<D>, runtime: Runtime<D>): Record<string, unknown>;
  /** `sessions/delete`: the result, or throws the JSON-RPC error. */
  deleteSession(read: SessionMetaRead, runtime: Runtime<D>): Record<string, unknown>;
  /** The live session for an id, or undefined (→ onUnknownSession). */
  findSession(sessionId: string, runtime: Runtime<D>): SessionRecord<D> | undefined;

  // The three session failures. Return an Error to answer a JSON-RPC error (the reference way);
  // on tools/call a ToolOutcome may be returned instead and goes out as the call's result (the
  // Python originals' way: `isError: true`, text "Error executing tool X: Session not found").
  // On sessions/delete a non-Error value is sent as the result object.
  /** A session-only tool called without session metadata. */
  onMissingSession(tool: string): Error | ToolOutcome;
  /** An id that names no live session (tools/call and sessions/delete). */
  onUnknownSession(sessionId: string, where: 'tool' | 'delete'): Error | ToolOutcome;
  /** Session metadata that is not an object, or whose sessionId is missing, not a string or empty. */
  onMalformedSession(read: Extract<SessionMetaRead, { kind: 'malformed' }>, where: 'tool' | 'delete'): Error | ToolOutcome;
  /** Arguments that fail the tool's schema: an outcome (isError result) or an Error (JSON-RPC error). */
  onInvalidArguments(tool: string, problems: string[], session: SessionRecord<D> | undefined): ToolOutcome | Error;

  /** Reads the incoming state before a tool runs. */
  acceptState(session: SessionRecord<D>, incoming: SessionMetadata, runtime: Runtime<D>): void;
  /** Issues the state token to send (create and echo); undefined: none. */
  issueState(session: SessionRecord<D>, runtime: Runtime<D>): string | undefined;
  /** Counts a successful session-bearing call and slides the expiry. */
  touch(session: SessionRecord<D>, runtime: Runtime<D>): void;
  /** The `_meta` session object of a successful tools/call; undefined: no echo. */
  buildEcho(session: SessionRecord<D>, ctx: ToolContext<D>): SessionMetadata | undefined;

  /** Raw wire hooks (see wire.ts): rewrite, drop (null) or multiply (array) messages. */
  transformIncoming?: (message: WireMessage, wire: WireControl) => WireHookResult;
  transformOutgoing?: (message: WireMessage) => WireHookResult;
}

export type BehaviourOverrides<D> = Partial<Behaviour<D>> | ((base: Behaviour<D>) => Partial<Behaviour<D>>);

export const ECHOED_VERSIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'];
export const FALLBACK_VERSION = '2025-11-25';

/** Built fresh each time so no caller can mutate a shared object. */
export function referenceCapabilities(): Record<string, unknown> {
  return {
    experimental: {},
    prompts: { listChanged: false },
    resources: { subscribe: false, listChanged: false },
    tools: { listChanged: false },
    sessions: {},
  };
}

export function defaultBehaviour<D>(spec: ServerSpec<D>, draft: Draft): Behaviour<D> {
  const behaviour: Behaviour<D> = {
    draft,
    // The originals report the Python SDK version; kept so transcripts compare equal.
    serverInfo: { name: spec.name, version: '1.26.0' },
    capabilities: referenceCapabilities(),
    negotiateVersion: (requested) =>
      typeof requested === 'string' && ECHOED_VERSIONS.includes(requested) ? requested : FALLBACK_VERSION,

    mintSessionId,
    now: () => new Date(),
    formatExpiry,
    readSessionMeta,

    onCreateWithSession(params) {
      // The original refuses only a session *object*; a string or null value still creates.
      const meta = (params as { _meta?: Record<string, unknown> } | undefined)?._meta;
      const value = meta?.['io.modelcontextprotocol/session'];
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        return invalidParams("sessions/create MUST NOT include _meta['io.modelcontextprotocol/session']");
      }
      return null;
    },
    sessionMethods: true,
    createSession(runtime) {
      const now = runtime.behaviour.now();
      const session: SessionRecord<D> = {
        sessionId: runtime.behaviour.mintSessionId(),
        createdAt: now,
        expiresAt: expiryFrom(now),
        calls: 0,
        data: spec.newData(),
      };
      session.state = runtime.behaviour.issueState(session, runtime);
      runtime.store.add(session);
      return session;
    },
    createResult(session, runtime) {
      const b = runtime.behaviour;
      const fields: Record<string, string | undefined> = {
        sessionId: session.sessionId,
        state: session.state,
        expiresAt: b.formatExpiry(session.expiresAt),
      };
      const order = spec.createOrder ?? ['sessionId', 'state', 'expiresAt'];
      const out: Record<string, string> = {};
      for (const key of order) if (fields[key] !== undefined) out[key] = fields[key]!;
      return { session: out };
    },
    deleteSession(read, runtime) {
      const b = runtime.behaviour;
      if (read.kind === 'missing') throw sessionNotFound('');
      if (read.kind === 'malformed') return failOrResult(b.onMalformedSession(read, 'delete'));
      const id = read.meta.sessionId;
      if (!b.findSession(id, runtime)) return failOrResult(b.onUnknownSession(id, 'delete'));
      runtime.store.delete(id);
      return {};
    },
    findSession: (sessionId, runtime) => runtime.store.get(sessionId),

    onMissingSession: () => (draft === '2026-03-13' ? sessionRequired() : sessionNotFound('')),
    onUnknownSession: (sessionId) => sessionNotFound(sessionId),
    onMalformedSession: (read) => invalidParams(`Invalid session metadata: ${read.reason}`),
    onInvalidArguments: (tool, problems) => ({
      text: `Error executing tool ${tool}: ${problems.length} validation error${problems.length === 1 ? '' : 's'} for ${tool}Arguments\n${problems.join('\n')}`,
      isError: true,
    }),

    acceptState(session, incoming) {
      spec.acceptState?.(session, incoming);
    },
    issueState: (session) => spec.issueState?.(session),
    touch(session, runtime) {
      session.calls += 1;
      if (spec.slideExpiry !== false) session.expiresAt = expiryFrom(runtime.behaviour.now());
    },
    buildEcho(session, ctx) {
      const b = ctx.runtime.behaviour;
      const state = b.issueState(session, ctx.runtime);
      if (state !== undefined) session.state = state;
      return {
        sessionId: session.sessionId,
        ...(state !== undefined && { state }),
        expiresAt: b.formatExpiry(session.expiresAt),
      };
    },
  };
  return behaviour;
}

/** Throws an Error; passes anything else through as a result object. */
function failOrResult(answer: Error | ToolOutcome): Record<string, unknown> {
  if (answer instanceof Error) throw answer;
  return answer as unknown as Record<string, unknown>;
}

/** Defaults with the overrides laid over them. */
export function resolveBehaviour<D>(
  spec: ServerSpec<D>,
  draft: Draft,
  overrides?: BehaviourOverrides<D>,
): Behaviour<D> {
  const base = defaultBehaviour(spec, draft);
  const extra = typeof overrides === 'function' ? overrides(base) : overrides ?? {};
  return { ...base, ...extra };
}

export { RpcError };
