import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '../tracing/span.js';

/** What travels with a request across awaits: the active span and the log fields the service added. */
export interface VigilContext {
  readonly span?: Span;
  readonly fields: Record<string, unknown>;
}

const storage = new AsyncLocalStorage<VigilContext>();
const EMPTY: VigilContext = { fields: {} };

export function currentContext(): VigilContext {
  return storage.getStore() ?? EMPTY;
}

/**
 * The context for one incoming request: its server span and a fresh fields object (so
 * {@link appendLogContext} stays within the request) carrying the request id.
 */
export function requestContext(span: Span, requestId: string | undefined): VigilContext {
  const parent = storage.getStore()?.fields;
  const fields: Record<string, unknown> = parent === undefined || parent === EMPTY.fields ? {} : { ...parent };
  if (requestId !== undefined) fields.requestId = requestId;
  return { span, fields };
}

export function runInContext<T>(context: VigilContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** For middleware that cannot wrap the rest of the request in a callback (middy `before`). */
export function enterContext(context: VigilContext): void {
  storage.enterWith(context);
}

/**
 * Runs `fn` with extra log fields (request id, tenant…) attached to every log line written inside it,
 * across awaits and callbacks.
 * @example
 * await withLogContext({ requestId: req.id }, () => handle(req));
 */
export function withLogContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  const parent = currentContext();
  return storage.run({ ...parent, fields: { ...parent.fields, ...fields } }, fn);
}

/**
 * Adds fields to the current context in place (visible to the rest of this request).
 * Outside any context it does nothing, so it never leaks fields between requests.
 * @example
 * appendLogContext({ userId: user.id });
 */
export function appendLogContext(fields: Record<string, unknown>): void {
  const store = storage.getStore();
  if (store) Object.assign(store.fields, fields);
}
