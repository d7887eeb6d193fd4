// Types shared by the api modules. Every shape the UI gets from Go is the generated
// model (wailsjs/go/models.ts) seen through Plain and With below, so a field added in
// Go reaches the UI without editing this folder. What Wails cannot express is
// narrowed here: time.Time arrives typed `any`, and Go's string enums as `string`.

/** Plain<T>: a generated model class as the JSON Go sends: data fields only, nested models plain too. */
export type Plain<T> = T extends readonly (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Plain<T[K]> }
    : T;

/** With<T, O>: the plain model T with the fields in O typed as the UI reads them. */
export type With<T, O> = Omit<Plain<T>, keyof O> & O;

/**
 * Sent<T>: what may arrive for model T today: any field null (nil slices and pointers)
 * or missing (omitempty, and the partial rows of tests and the dev mock), and fields the
 * model does not name (an older or newer Go) tolerated. The adapters take this and give Plain/With.
 */
export type Sent<T> = SentValue<T> | null | undefined;
type SentValue<T> = T extends readonly (infer U)[]
  ? readonly SentValue<U>[]
  : T extends object
    ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]?: Sent<T[K]> } & { [extra: string]: unknown }
    : T;

export type Channel = 'mail' | 'telegram' | 'vk' | 'mastodon' | 'youtube' | 'import';
export const CHANNELS: readonly Channel[] = ['mail', 'telegram', 'vk', 'mastodon', 'youtube', 'import'];
export type Status = 'open' | 'pending' | 'closed';
export type Sentiment = '' | 'negative' | 'neutral' | 'positive';
export type MessageKind = 'comment' | 'dm' | 'mail';
export type Order = 'sla' | 'newest';
