// Wires a ServerSpec onto the SDK's low-level `Server` over the raw-line stdio transport.
//
// The low-level Server (not McpServer) is used because McpServer turns every throw inside a
// tool into an `isError` result — the defect of the Python originals. Here the session is
// checked in the request handler, and a thrown RpcError goes out as a true JSON-RPC error.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { InitializeRequestSchema, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  referenceCapabilities,
  resolveBehaviour,
  type Behaviour,
  type BehaviourOverrides,
  type Draft,
  type Runtime,
  type ServerSpec,
  type ToolContext,
  type ToolOutcome,
} from './behaviour.js';
import { invalidParams } from './rpc-error.js';
import { SESSION_META_KEY, type SessionMetadata } from './session-meta.js';
import { SessionStore, type SessionRecord } from './session-store.js';
import { checkArgs, inputSchema } from './tool-args.js';
import { LineTransport } from './wire.js';
import { parseServerArgs } from './args.js';
import type { HttpHooks, HttpServing } from './http.js';

export * from './behaviour.js';
export { SESSION_META_KEY } from './session-meta.js';
export type { SessionMetadata } from './session-meta.js';
export type { SessionRecord } from './session-store.js';
export type { HttpExchange, HttpHooks } from './http.js';
export { requestKey } from './wire.js';

const methodSchemas = new Map<string, z.ZodType>();

/**
 * A schema that matches one method and lets every other field through untouched. One per method
 * for the process: stateless HTTP builds a Server per request, and zod compiles a schema's parser
 * on its first parse, so a new schema per Server cost a compile per request.
 */
function methodSchema(method: string): z.ZodType {
  let schema = methodSchemas.get(method);
  if (!schema) methodSchemas.set(method, (schema = z.looseObject({ method: z.literal(method), params: z.unknown().optional() })));
  return schema;
}

type AnyResult = Record<string, unknown>;

function textResult(outcome: ToolOutcome, echo: SessionMetadata | undefined): AnyResult {
  return {
    ...(echo !== undefined && { _meta: { [SESSION_META_KEY]: echo } }),
    content: [{ type: 'text', text: outcome.text }],
    isError: outcome.isError ?? false,
  };
}

/** A session failure on tools/call: an Error is thrown (JSON-RPC error), an outcome is the result. */
function refuse(answer: Error | ToolOutcome): AnyResult {
  if (answer instanceof Error) throw answer;
  return textResult(answer, answer.echo ?? undefined);
}

export interface SessionServer<D> {
  server: Server;
  runtime: Runtime<D>;
  transport: LineTransport;
}

/** The data-layer side of a server: spec, behaviour and session store (one per process). */
export function createRuntime<D>(spec: ServerSpec<D>, draft: Draft = '2026-02-27', overrides?: BehaviourOverrides<D>): Runtime<D> {
  const behaviour: Behaviour<D> = resolveBehaviour(spec, draft, overrides);
  return { spec, store: new SessionStore<D>(), behaviour };
}

/**
 * Unless given one, the SDK builds a JSON Schema validator (an Ajv instance with formats) for
 * every Server, to check elicitation answers these servers never ask for: ~80 % of the cost of a
 * Server. Over stateless HTTP there is a Server per request, so it was most of a request's CPU.
 * One validator per process, made the first time a schema is to be checked, serves them all.
 */
let ajv: AjvJsonSchemaValidator | undefined;
const sharedValidator: jsonSchemaValidator = {
  getValidator: (schema) => (ajv ??= new AjvJsonSchemaValidator()).getValidator(schema),
};

/**
 * An SDK `Server` answering with `runtime`'s behaviour, not yet connected. Over stdio there is one;
 * over stateless HTTP one per request, all sharing the runtime (so the sessions).
 */
export function buildServer<D>(runtime: Runtime<D>): Server {
  const { spec, behaviour } = runtime;
  // Built as a variable first: a fresh literal with `sessions` is an excess-property error.
  // The SDK refuses handlers for capabilities it was not given, so it gets the reference set
  // (plus any override); the initialize answer below sends `behaviour.capabilities` verbatim.
  const capabilities = { ...referenceCapabilities(), ...behaviour.capabilities } as ServerCapabilities;
  const server = new Server(behaviour.serverInfo, { capabilities, jsonSchemaValidator: sharedValidator });
  // Loosely typed view for handlers whose results are not in the SDK's result union.
  const on = server.setRequestHandler.bind(server) as unknown as (
    schema: unknown,
    handler: (request: any) => AnyResult | Promise<AnyResult>,
  ) => void;

  // The SDK would also echo 2024-10-07; the originals answer 2025-11-25 to anything unlisted.
  const sdkInitialize = (server as unknown as { _oninitialize(r: unknown): Promise<AnyResult> })._oninitialize.bind(server);
  on(methodSchema('initialize'), async (request) => {
    // Bad initialize params are the client's error (-32602), not an internal one (-32603).
    const checked = InitializeRequestSchema.safeParse(request);
    if (!checked.success) throw invalidParams('Invalid initialize params', { issues: checked.error.issues });
    const result = await sdkInitialize(request);
    return {
      ...result,
      protocolVersion: behaviour.negotiateVersion(request.params?.protocolVersion),
      capabilities: behaviour.capabilities,
    };
  });

  on(methodSchema('resources/list'), () => ({ resources: [] }));
  on(methodSchema('resources/templates/list'), () => ({ resourceTemplates: [] }));
  on(methodSchema('prompts/list'), () => ({ prompts: [] }));

  if (behaviour.sessionMethods) {
    on(methodSchema('sessions/create'), (request) => {
      const refusal = behaviour.onCreateWithSession(request.params);
      if (refusal) throw refusal;
      const session = behaviour.createSession(runtime, request.params);
      return behaviour.createResult(session, runtime);
    });

    on(methodSchema('sessions/delete'), (request) =>
      behaviour.deleteSession(behaviour.readSessionMeta(request.params), runtime),
    );
  }

  on(methodSchema('tools/list'), () => ({
    tools: spec.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: inputSchema(tool.name, tool.properties),
    })),
  }));

  on(methodSchema('tools/call'), (request) => {
    const params = request.params as { name: string; arguments?: Record<string, unknown> };
    const tool = spec.tools.find((t) => t.name === params.name);
    // As the originals: an unknown tool is a tool-level error, not a protocol error.
    if (!tool) return textResult({ text: `Unknown tool: ${params.name}`, isError: true }, undefined);

    let session: SessionRecord<D> | undefined;
    let incoming: SessionMetadata | undefined;
    if (tool.session !== 'none') {
      const read = behaviour.readSessionMeta(request.params);
      if (read.kind === 'malformed') return refuse(behaviour.onMalformedSession(read, 'tool'));
      if (read.kind === 'missing' && tool.session === 'required') return refuse(behaviour.onMissingSession(tool.name));
      if (read.kind === 'present') {
        incoming = read.meta;
        session = behaviour.findSession(read.meta.sessionId, runtime);
        if (!session) return refuse(behaviour.onUnknownSession(read.meta.sessionId, 'tool'));
      }
    }

    const ctx: ToolContext<D> = { tool: tool.name, args: {}, session, incoming, request, runtime };
    const checked = checkArgs(tool.properties ?? [], params.arguments);
    if (!checked.ok) {
      const answer = behaviour.onInvalidArguments(tool.name, checked.problems, session);
      if (answer instanceof Error) throw answer;
      // The request was in a live session, so the (isError) result still echoes it.
      return textResult(answer, session ? behaviour.buildEcho(session, ctx) : undefined);
    }
    ctx.args = checked.args;

    if (session && incoming) {
      behaviour.acceptState(session, incoming, runtime);
      behaviour.touch(session, runtime);
    }
    // A synchronous tool's echo is built in the same turn as its run: awaiting in between would
    // let pipelined calls of the same session touch it first (echoing a later call's state).
    const produced = tool.run(ctx);
    const finish = (outcome: ToolOutcome) => {
      const echo =
        outcome.echo !== undefined ? outcome.echo ?? undefined : session ? behaviour.buildEcho(session, ctx) : undefined;
      return textResult(outcome, echo);
    };
    return produced instanceof Promise ? produced.then(finish) : finish(produced);
  });

  server.onerror = (error) => process.stderr.write(`[${spec.name}] ${error.message}\n`);
  return server;
}

export function createSessionServer<D>(
  spec: ServerSpec<D>,
  options: {
    draft?: Draft;
    overrides?: BehaviourOverrides<D>;
    /** Other streams than stdin/stdout (in-process use, e.g. tests of the hooks). */
    io?: { input?: NodeJS.ReadableStream; writeLine?: (line: string) => void };
  } = {},
): SessionServer<D> {
  const runtime = createRuntime(spec, options.draft, options.overrides);
  const { behaviour } = runtime;
  const transport = new LineTransport(
    {
      transformIncoming: behaviour.transformIncoming,
      transformOutgoing: behaviour.transformOutgoing,
      writeLine: options.io?.writeLine,
    },
    options.io?.input,
  );
  return { server: buildServer(runtime), runtime, transport };
}

/** `--draft <revision>` (or `--draft=<revision>`); exits with usage on anything else. */
export function parseDraftArg(argv: string[]): Draft {
  return parseServerArgs(argv).draft;
}

/**
 * Starts a server as its command line says (see args.ts): on stdin/stdout by default, where the
 * process ends when stdin ends; with `--transport http --port N` on http://127.0.0.1:N/mcp, where
 * it ends on SIGTERM / SIGINT / SIGHUP. `http` changes HTTP-level behaviour (broken variants).
 */
export async function runSessionServer<D>(
  spec: ServerSpec<D>,
  overrides?: BehaviourOverrides<D>,
  argv: string[] = process.argv.slice(2),
  http?: HttpHooks,
): Promise<SessionServer<D> | HttpServing> {
  const args = parseServerArgs(argv);
  if (args.transport === 'http') return runHttp(createRuntime(spec, args.draft, overrides), args.port!, http);
  const built = createSessionServer(spec, { draft: args.draft, overrides });
  // A reader that went away must not crash us with EPIPE; there is no one left to answer.
  process.stdout.on('error', () => process.exit(0));
  await built.server.connect(built.transport);
  return built;
}

async function runHttp<D>(runtime: Runtime<D>, port: number, hooks?: HttpHooks): Promise<HttpServing> {
  let serving: HttpServing;
  try {
    // Loaded here, not at the top: over stdio (most runs) the HTTP transport of the SDK, node:http
    // and undici are never needed, and loading them was ~15 % of a start (issue 15).
    const { serveHttp } = await import('./http.js');
    serving = await serveHttp(() => buildServer(runtime), port, hooks);
  } catch (error) {
    process.stderr.write(`[${runtime.spec.name}] cannot listen on 127.0.0.1:${port}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stderr.write(`[${runtime.spec.name}] Streamable HTTP on ${serving.url}\n`);
  const stop = () => void serving.close().then(() => process.exit(0));
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, stop);
  return serving;
}

/**
 * True when the module with this `import.meta.url` is the process's entry script. An entry module
 * ends with `if (isMain(import.meta.url)) void runSessionServer(…)`: no top-level await, so the
 * start-up snapshot's CommonJS bundle can hold it too (scripts/snapshot-references.mjs).
 */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
