// The listening source form's state and its translation to and from the settings
// JSON each source package decodes (backend/listening/<kind>/register.go).
import type { ListeningKindInfo, ListeningSettingField } from '../lib/api/listeningKinds';

export interface SourceForm {
  id: number;
  kind: string;
  name: string;
  enabled: boolean;
  /** Field values as typed; lists comma-separated. */
  fields: Record<string, string>;
  /** Secrets as typed; '' keeps the stored one. */
  secrets: Record<string, string>;
}

export function emptySourceForm(kind: string): SourceForm {
  return { id: 0, kind, name: '', enabled: true, fields: {}, secrets: {} };
}

/** formFromSource reads a stored source's settings JSON back into the form (never its secrets). */
export function formFromSource(s: { id: number; kind: string; name: string; enabled: boolean; settings: string }, info: ListeningKindInfo | undefined): SourceForm {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = s.settings ? JSON.parse(s.settings) : {};
    if (parsed && typeof parsed === 'object') raw = parsed as Record<string, unknown>;
  } catch {
    // Unreadable settings: the form starts empty and saving rewrites them.
  }
  const fields: Record<string, string> = {};
  for (const f of info?.fields ?? []) {
    const v = raw[f.name];
    if (Array.isArray(v)) fields[f.name] = v.join(', ');
    else if (v !== undefined && v !== null && v !== 0) fields[f.name] = String(v);
  }
  return { id: s.id, kind: s.kind, name: s.name, enabled: s.enabled, fields, secrets: {} };
}

function fieldValue(f: ListeningSettingField, typed: string): unknown {
  const v = typed.trim();
  if (v === '') return undefined;
  if (f.type === 'list') {
    const items = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
    return items.length ? items : undefined;
  }
  if (f.type === 'number') {
    const n = Number(v);
    return Number.isFinite(n) ? Math.trunc(n) : undefined;
  }
  return v;
}

/** settingsJSON builds the settings the source's package decodes; empty fields are left out. */
export function settingsJSON(form: SourceForm, info: ListeningKindInfo): string {
  const out: Record<string, unknown> = {};
  for (const f of info.fields) {
    const v = fieldValue(f, form.fields[f.name] ?? '');
    if (v !== undefined) out[f.name] = v;
  }
  return JSON.stringify(out);
}

/**
 * missing names what the form still needs: '' when complete, 'name', 'field:<name>' or
 * 'secret:<name>'. A required secret may stay empty on an edit (the stored one is kept).
 */
export function missing(form: SourceForm, info: ListeningKindInfo): string {
  if (form.name.trim() === '') return 'name';
  for (const f of info.fields) if (!f.optional && fieldValue(f, form.fields[f.name] ?? '') === undefined) return `field:${f.name}`;
  if (form.id === 0) for (const s of info.secrets) if (s.required && (form.secrets[s.name] ?? '') === '') return `secret:${s.name}`;
  return '';
}
