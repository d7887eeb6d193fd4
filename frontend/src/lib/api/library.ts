// ReplyLibraryService: what drafts are built from — canned replies, the knowledge base
// of approved statements, and each brand's voice.
import * as ReplyLibraryService from '../../../wailsjs/go/main/ReplyLibraryService';
import type { drafts } from '../../../wailsjs/go/models';
import { call } from './call';
import { filled, nonNull } from './normalize';
import type { Plain, With } from './types';

export type Canned = Plain<drafts.Canned>;
export type KBEntry = With<drafts.KBEntry, { brand: string }>;
/** BrandProfile is how drafts speak for one brand; defaultLang "" follows the thread. */
export type BrandProfile = Plain<drafts.Brand>;

export function cannedReplies(query: string): Promise<Canned[]> {
  return call('ReplyLibraryService.Canned', () => ReplyLibraryService.Canned(query), (list) => nonNull(list).map((c) => ({ ...c, tags: nonNull(c?.tags) })));
}

export function saveCanned(c: Canned): Promise<void> {
  return call('ReplyLibraryService.SaveCanned', () => ReplyLibraryService.SaveCanned(c));
}

export function deleteCanned(id: string): Promise<void> {
  return call('ReplyLibraryService.DeleteCanned', () => ReplyLibraryService.DeleteCanned(id));
}

export function kbEntries(brand = ''): Promise<KBEntry[]> {
  return call('ReplyLibraryService.KB', () => ReplyLibraryService.KB(brand), (list) => nonNull(list).map((e) => filled<KBEntry>(e, { brand: '' })));
}

export function saveKB(e: KBEntry): Promise<void> {
  return call('ReplyLibraryService.SaveKB', () => ReplyLibraryService.SaveKB(e));
}

export function brands(): Promise<BrandProfile[]> {
  return call('ReplyLibraryService.Brands', () => ReplyLibraryService.Brands(), nonNull);
}

export function saveBrand(b: BrandProfile): Promise<void> {
  return call('ReplyLibraryService.SaveBrand', () => ReplyLibraryService.SaveBrand(b));
}
