// The scripted session server of client mode: one instance per connection (each spawn of the
// relay). It answers the driver's steps as the contract says, varied by the scenario, and is
// lenient on purpose: whatever the client does wrong, it answers so the client can go on, and
// reports what it issued and ended (effects) so the judge can hold the client to it.
import { randomBytes } from 'node:crypto';
import type { Profile } from '../harness/types.js';
import { isObject } from '../harness/values.js';
import type { ScenarioName } from './catalog.js';

export const PROBE_TOOL = 'session_probe';
export const PROTOCOL_VERSION = '2025-11-25';

/** What a reply did to the sessions of this server, for the judge. */
export type Effect =
  | { kind: 'issued'; sessionId: string; state: string; created: boolean }
  | { kind: 'ended'; sessionId: string; how: 'deleted' | 'revoked' | 'not-found' };

export interface Reply {
  /** The response to write, or undefined (notifications, responses from the client). */
  response?: Record<string, unknown>;
  effects: Effect[];
}

interface Session {
  calls: number;
  probes: number;
  live: boolean;
  expiresAt: number;
  /** The first session of this connection (the one `revoked` revokes). */
  first: boolean;
}

const HOUR = 3_600_000;

export class ScriptedServer {
  private readonly sessions = new Map<string, Session>();
  private issuedStates = 0;
  private plainCalls = 0;

  constructor(
    readonly scenario: ScenarioName,
    private readonly profile: Profile,
  ) {}

  get capability(): boolean {
    return this.scenario !== 'no-capability';
  }

  /** Answers one parsed message from the client. */
  handle(message: unknown): Reply {
    if (!isObject(message) || message.jsonrpc !== '2.0') {
      const id = isObject(message) && (typeof message.id === 'string' || typeof message.id === 'number') ? message.id : null;
      return { response: error(id, -32600, 'Invalid Request: not a JSON-RPC 2.0 message'), effects: [] };
    }
    if (typeof message.method !== 'string') return { effects: [] }; // a response or junk without a method: nothing to answer
    if (!('id' in message)) return { effects: [] }; // notifications are never answered
    const id = message.id as string | number | null;
    if (typeof id !== 'string' && typeof id !== 'number') return { response: error(null, -32600, 'Invalid Request: id must be a string or a number'), effects: [] };
    const params = isObject(message.params) ? message.params : {};
    switch (message.method) {
      case 'initialize':
        return { response: ok(id, this.initializeResult()), effects: [] };
      case 'ping':
        return { response: ok(id, {}), effects: [] };
      case 'tools/list':
        return { response: ok(id, { tools: [PROBE_TOOL_DEF] }), effects: [] };
      case 'tools/call':
        return this.call(id, params);
      default:
        if (message.method === this.profile.methods.create) return this.create(id);
        if (message.method === this.profile.methods.delete) return this.delete(id, params);
        return { response: error(id, -32601, `Method not found: ${message.method}`), effects: [] };
    }
  }

  private initializeResult(): Record<string, unknown> {
    const capabilities: Record<string, unknown> = { tools: {} };
    if (this.capability) capabilities.sessions = {};
    return {
      protocolVersion: PROTOCOL_VERSION,
      capabilities,
      serverInfo: { name: `mcp-session-conformance scripted server (${this.scenario})`, version: '1.0.0' },
    };
  }

  private create(id: string | number): Reply {
    if (!this.capability) return { response: error(id, this.profile.errors.methodNotFound, `Method not found: ${this.profile.methods.create}`), effects: [] };
    // Lenient: session metadata on create (CLI-CREATE-1) is judged, not refused, and never adopted.
    const sessionId = randomBytes(18).toString('base64url');
    const session: Session = { calls: 0, probes: 0, live: true, expiresAt: Date.now() + HOUR, first: this.sessions.size === 0 };
    this.sessions.set(sessionId, session);
    const meta = this.meta(sessionId, session);
    return { response: ok(id, { session: meta }), effects: [{ kind: 'issued', sessionId, state: meta.state, created: true }] };
  }

  private delete(id: string | number, params: Record<string, any>): Reply {
    if (!this.capability) return { response: error(id, this.profile.errors.methodNotFound, `Method not found: ${this.profile.methods.delete}`), effects: [] };
    const sent = this.sessionOf(params);
    if (sent === undefined) return { response: error(id, -32602, `${this.profile.methods.delete} needs session metadata naming the session to end`), effects: [] };
    const session = typeof sent.sessionId === 'string' ? this.sessions.get(sent.sessionId) : undefined;
    if (!session?.live) return this.notFound(id, sent.sessionId);
    session.live = false;
    return { response: ok(id, {}), effects: [{ kind: 'ended', sessionId: sent.sessionId, how: 'deleted' }] };
  }

  private call(id: string | number, params: Record<string, any>): Reply {
    if (params.name !== PROBE_TOOL) return { response: error(id, -32602, `Unknown tool: ${String(params.name)}`), effects: [] };
    const args = isObject(params.arguments) ? params.arguments : {};
    const note = typeof args.note === 'string' ? args.note : null;
    const sent = this.sessionOf(params);
    if (!this.capability && sent === undefined) {
      this.plainCalls++;
      return { response: ok(id, { content: [text({ sessionId: null, calls: this.plainCalls, note })] }), effects: [] };
    }
    if (sent === undefined) return this.notFound(id, undefined);
    const session = typeof sent.sessionId === 'string' ? this.sessions.get(sent.sessionId) : undefined;
    if (!session?.live) return this.notFound(id, sent.sessionId);
    session.probes++;
    if (this.scenario === 'revoked' && session.first && session.probes === 2) {
      session.live = false;
      const reply = this.notFound(id, sent.sessionId);
      return { response: reply.response, effects: [{ kind: 'ended', sessionId: sent.sessionId, how: 'revoked' }] };
    }
    session.calls++;
    const meta = this.meta(sent.sessionId, session);
    const result = { content: [text({ sessionId: sent.sessionId, calls: session.calls, note })], _meta: { [this.profile.metaKey]: meta } };
    return { response: ok(id, result), effects: [{ kind: 'issued', sessionId: sent.sessionId, state: meta.state, created: false }] };
  }

  private notFound(id: string | number, sessionId: unknown): Reply {
    const data = typeof sessionId === 'string' ? { data: { sessionId } } : {};
    const response = { jsonrpc: '2.0', id, error: { code: this.profile.errors.sessionNotFound, message: 'Session not found', ...data } };
    const effects: Effect[] = typeof sessionId === 'string' ? [{ kind: 'ended', sessionId, how: 'not-found' }] : [];
    return { response, effects };
  }

  private sessionOf(params: Record<string, any>): Record<string, any> | undefined {
    const meta = isObject(params._meta) ? params._meta[this.profile.metaKey] : undefined;
    if (meta === undefined) return undefined;
    return isObject(meta) ? meta : { sessionId: meta };
  }

  /** Session metadata for a response: the id, a new state, and expiresAt (moving in `expiry`). */
  private meta(sessionId: string, session: Session): { sessionId: string; state: string; expiresAt: string } {
    if (this.scenario === 'expiry') session.expiresAt += 60_000 * (1 + (this.issuedStates % 7));
    return { sessionId, state: this.nextState(session), expiresAt: new Date(session.expiresAt).toISOString() };
  }

  private nextState(session: Session): string {
    const n = this.issuedStates++;
    const nonce = randomBytes(9).toString('base64url');
    const plain = Buffer.from(JSON.stringify({ calls: session.calls, nonce })).toString('base64url');
    if (this.scenario !== 'rotating-state') return plain;
    // Values that tempt a client to decode, re-encode, normalize or trim (decision D8: exact strings).
    const variants = [
      () => `${Buffer.from(randomBytes(2300)).toString('base64')}+/=${nonce}`, // ~3 KiB, standard base64 with +/=
      () => `a+b/c==${nonce}==`,
      () => `path%2Fto%2Fstate%3D${nonce}`,
      () => `état-ß-日本-${nonce}-😀`,
      () => `line\u2028sep\u2029${nonce}`,
      () => `${nonce} trailing `,
      () => ` ${plain}`,
    ];
    return variants[n % variants.length]!();
  }
}

export const PROBE_TOOL_DEF = {
  name: PROBE_TOOL,
  description: 'Session-only probe: answers with the session id, the call count in the session and the note.',
  inputSchema: { type: 'object', properties: { note: { type: 'string' } } },
};

function ok(id: string | number, result: unknown): Record<string, unknown> {
  return { jsonrpc: '2.0', id, result };
}

function error(id: string | number | null, code: number, message: string): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

function text(value: unknown): { type: 'text'; text: string } {
  return { type: 'text', text: JSON.stringify(value) };
}
