// The few places where Go's JSON is not yet what the UI reads, one helper per concern.
// Each is a stop-gap: once the Go side sends empty slices, readable times and the
// fields of every row, the helper and its callers go (issue #14).

/** nonNull: Go marshals a nil slice as null; the UI always gets an array. */
export function nonNull<T>(list: readonly T[] | null | undefined): T[] {
  return Array.isArray(list) ? [...list] : [];
}

/**
 * goTime: Go marshals an unset time.Time as "0001-01-01T00:00:00Z" and a nil *time.Time
 * as null or not at all; the UI gets '' for all of them (and for anything unparsable).
 */
export function goTime(v: unknown): string {
  if (typeof v !== 'string' || v === '' || v.startsWith('0001-01-01')) return '';
  return Number.isNaN(Date.parse(v)) ? '' : v;
}

/** goDuration: Go marshals time.Duration as nanoseconds; the UI counts milliseconds. */
export function goDuration(ns: unknown): number {
  return typeof ns === 'number' && Number.isFinite(ns) ? ns / 1e6 : 0;
}

/**
 * filled: a row whose fields Go left null or out (nil pointers, omitempty, the partial
 * rows of tests and the dev mock) taken from defaults; the other fields pass through.
 */
export function filled<T>(row: object | null | undefined, defaults: Partial<T>): T {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(row ?? {})) if (v !== null && v !== undefined) out[k] = v;
  // Trusted: the row is what Go marshalled for T, completed by defaults.
  return out as T;
}
