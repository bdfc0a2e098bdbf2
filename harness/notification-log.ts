// The notifications one target sent: counted, the recent ones kept (bounded, big params left
// out so a flood of large notifications cannot pile up), and handed to whoever listens.

export type NotificationHandler = (params: any, message: any) => void;
export interface KeptNotification {
  method: string;
  params: any;
  seq: number;
}

const MAX_NOTIFICATIONS = 1000;
const SMALL_NOTIFICATION_CHARS = 16 * 1024;

export class NotificationLog {
  /** Every notification received so far (kept or not). */
  count = 0;
  readonly kept: KeptNotification[] = [];
  private readonly handlers = new Map<string, Set<NotificationHandler>>();

  /** Keeps one notification; true when it is small enough to keep whole (params included). */
  add(message: any, chars: number, seq: number): boolean {
    this.count++;
    const small = chars <= SMALL_NOTIFICATION_CHARS;
    this.kept.push({ method: message.method, params: small ? message.params : { _omitted: `${chars} chars` }, seq });
    if (this.kept.length > 2 * MAX_NOTIFICATIONS) this.kept.splice(0, this.kept.length - MAX_NOTIFICATIONS);
    return small;
  }

  /** Hands a notification to the handlers of its method and of '*'. */
  dispatch(message: any): void {
    if (this.handlers.size === 0) return;
    for (const key of [message.method, '*']) {
      const handlers = this.handlers.get(key);
      if (handlers) for (const h of handlers) h(message.params, message);
    }
  }

  on(method: string | '*', handler: NotificationHandler): () => void {
    let set = this.handlers.get(method);
    if (!set) this.handlers.set(method, (set = new Set()));
    set.add(handler);
    return () => set!.delete(handler);
  }
}
