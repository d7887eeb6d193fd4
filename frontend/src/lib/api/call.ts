// The one way every module here reaches Go: call() runs a generated binding and turns
// any failure into an ApiError, so the UI shows errors one way; subscribe() wraps the
// runtime's EventsOn so a page without Wails gets no events instead of a crash.
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { describe, parseCoded, sentence } from '../errors';
import type { Plain } from './types';

/** Where a failure came from: the Go side, a missing bridge, or something unexpected. */
export type ApiErrorKind = 'backend' | 'unavailable' | 'unknown';

/**
 * ApiError is the one error type the UI sees from the api modules. A Go error with a code
 * (backend/apperr) has code and params, its message is already in the user's language with
 * the next step, and detail keeps Go's technical text; otherwise code is '' and detail is
 * the message.
 */
export class ApiError extends Error {
  readonly op: string;
  readonly kind: ApiErrorKind;
  override readonly cause: unknown;
  readonly code: string;
  readonly params: Readonly<Record<string, string>>;
  readonly detail: string;

  constructor(op: string, message: string, kind: ApiErrorKind, cause?: unknown, coded?: { code: string; params: Record<string, string>; detail: string }) {
    super(message);
    this.name = 'ApiError';
    this.op = op;
    this.kind = kind;
    this.cause = cause;
    this.code = coded?.code ?? '';
    this.params = coded?.params ?? {};
    this.detail = coded?.detail ?? message;
  }
}

function messageOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value instanceof Error) return value.message.trim();
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of ['message', 'msg', 'error', 'Error']) {
      const s = o[k];
      if (typeof s === 'string' && s.trim() !== '') return s.trim();
    }
    try {
      const s = JSON.stringify(value);
      return s === '{}' ? '' : s;
    } catch {
      return '';
    }
  }
  if (value === undefined || value === null) return '';
  return String(value);
}

function bridgePresent(): boolean {
  const w = globalThis as { go?: { main?: unknown } };
  return typeof w.go === 'object' && w.go !== null && typeof w.go.main === 'object';
}

/** toApiError turns anything a binding call can throw or reject with into an ApiError. */
export function toApiError(op: string, err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // window.go / window.runtime missing: the page runs outside Wails without the dev mock.
  if (err instanceof TypeError && !bridgePresent()) return new ApiError(op, '', 'unavailable', err);
  const msg = messageOf(err);
  if (msg === '') return new ApiError(op, '', 'unknown', err);
  // Every screen that shows .message then speaks the user's language, not Go's English.
  const coded = parseCoded(msg);
  if (coded) return new ApiError(op, sentence(describe(coded)), 'backend', err, coded);
  // A rejected Wails promise carries the Go error text (a string); anything else is a JS-side failure.
  return new ApiError(op, msg, typeof err === 'string' || !(err instanceof Error) ? 'backend' : 'unknown', err);
}

/**
 * call runs one binding and hands its answer to adapt (the UI's shape of it). A binding
 * that throws synchronously, rejects, or whose answer cannot be adapted ends in one
 * ApiError, which is also logged once with the operation, for the developer console.
 *
 * The generated bindings promise model class instances, but what arrives is the plain
 * JSON Go marshalled; adapt and the caller see it as that (Plain), never as a class.
 */
export function call<R>(op: string, fn: () => Promise<R>): Promise<Plain<R>>;
export function call<R, T>(op: string, fn: () => Promise<R>, adapt: (raw: Plain<R>) => T): Promise<T>;
export async function call(op: string, fn: () => Promise<unknown>, adapt?: (raw: unknown) => unknown): Promise<unknown> {
  let raw: unknown;
  try {
    raw = await fn();
  } catch (err) {
    throw logged(toApiError(op, err));
  }
  if (!adapt) return raw;
  try {
    return adapt(raw);
  } catch (err) {
    throw logged(new ApiError(op, messageOf(err), 'unknown', err));
  }
}

function logged(e: ApiError): ApiError {
  if (e.kind !== 'unavailable') console.warn(`api ${e.op}: ${e.kind}: ${e.code ? `${e.code}: ${e.detail}` : e.message}`);
  for (const l of failureListeners) l(e);
  return e;
}

const failureListeners = new Set<(e: ApiError) => void>();

/** onCallFailed hears every failed call (the offline banner listens for an unreachable server). */
export function onCallFailed(listener: (e: ApiError) => void): () => void {
  failureListeners.add(listener);
  return () => failureListeners.delete(listener);
}

/**
 * subscribe wraps EventsOn: no Wails runtime means no events, never a crash. P is the
 * payload Go emits under that name (events.go declares it, models.ts has its type); it
 * arrives unchecked, like a binding's answer.
 */
export function subscribe<P = void>(name: string, cb: (payload: P | undefined) => void): () => void {
  try {
    const off = EventsOn(name, (...data: unknown[]) => cb(data[0] as P | undefined));
    return typeof off === 'function' ? off : () => {};
  } catch {
    return () => {};
  }
}
