// The target's own requests to the harness (ping, roots/list, sampling/…): `ping` is answered
// with {}, a method with a handler with what the handler returns, anything else with -32601.
// Never mistaken for responses: the peer routes them here before correlating.
export type RequestHandler = (params: any) => unknown | Promise<unknown>;
export type ReplyBody = { result: unknown } | { error: { code: number; message: string } };

export class ServerRequests {
  private readonly handlers = new Map<string, RequestHandler>([['ping', () => ({})]]);

  constructor(private readonly methodNotFound: number) {}

  set(method: string, handler: RequestHandler): void {
    this.handlers.set(method, handler);
  }

  /** The body of the answer to `request` (a handler that throws gives its code, else -32603). */
  async answer(request: { method: string; params?: unknown }): Promise<ReplyBody> {
    const handler = this.handlers.get(request.method);
    if (!handler) return { error: { code: this.methodNotFound, message: 'Method not found' } };
    try {
      return { result: (await handler(request.params)) ?? {} };
    } catch (err: any) {
      return { error: { code: Number.isInteger(err?.code) ? err.code : -32603, message: String(err?.message ?? err) } };
    }
  }
}
