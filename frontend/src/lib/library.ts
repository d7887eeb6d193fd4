// Pure helpers of the brand voice and canned reply editors.
import type { Canned } from './api';

/** cannedPayload turns the editor's form into a canned reply, or null when a required field is empty. */
export function cannedPayload(f: { id: string; title: string; lang: string; body: string; tags: string }): Canned | null {
  const id = f.id.trim();
  const title = f.title.trim();
  const body = f.body.trim();
  if (!id || !title || !body) return null;
  const tags = [...new Set(f.tags.split(/[,;]/).map((s) => s.trim().toLowerCase()).filter(Boolean))];
  return { id, title, lang: f.lang, body, tags };
}
