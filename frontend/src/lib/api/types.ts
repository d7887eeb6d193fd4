// Types shared by the api modules. Every shape the UI gets from Go is the generated
// model (wailsjs/go/models.ts) seen through Plain and With below, so a field added in
// Go reaches the UI without editing this folder. Go sends every field of every answer
// (lists as arrays, an unset time as null, durations as …Ms numbers; the Go test
// TestBoundAnswersAreWhatTheUIReads holds it to that), so the UI reads it as it is.
// What Wails cannot express is narrowed here: Go's string enums arrive as `string`.

/**
 * Plain<T>: a generated model class as the JSON Go sends: data fields only, nested
 * models plain too, and every field present (Wails marks a Go pointer optional; Go
 * sends it as null when unset).
 */
export type Plain<T> = T extends readonly (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]-?: Plain<T[K]> }
    : T;

/** With<T, O>: the plain model T with the fields in O typed as the UI reads them. */
export type With<T, O> = Omit<Plain<T>, keyof O> & O;

export type Channel = 'mail' | 'telegram' | 'vk' | 'mastodon' | 'youtube' | 'bluesky' | 'reddit' | 'facebook' | 'instagram' | 'whatsapp' | 'import';
export const CHANNELS: readonly Channel[] = ['mail', 'telegram', 'vk', 'mastodon', 'youtube', 'bluesky', 'reddit', 'facebook', 'instagram', 'whatsapp', 'import'];
export type Status = 'open' | 'pending' | 'closed';
export type Sentiment = '' | 'negative' | 'neutral' | 'positive';
export type MessageKind = 'comment' | 'dm' | 'mail';
export type Order = 'sla' | 'newest';
