// ReplyLibraryService: what drafts are built from — canned replies, the knowledge base
// of approved statements, and each brand's voice.
import * as ReplyLibraryService from '../../../wailsjs/go/main/ReplyLibraryService';
import type { drafts } from '../../../wailsjs/go/models';
import { call } from './call';
import type { Plain } from './types';

export type Canned = Plain<drafts.Canned>;
export type KBEntry = Plain<drafts.KBEntry>;
/** BrandProfile is how drafts speak for one brand; defaultLang "" follows the thread. */
export type BrandProfile = Plain<drafts.Brand>;

export function cannedReplies(query: string): Promise<Canned[]> {
  return call('ReplyLibraryService.Canned', () => ReplyLibraryService.Canned(query));
}

export function saveCanned(c: Canned): Promise<void> {
  return call('ReplyLibraryService.SaveCanned', () => ReplyLibraryService.SaveCanned(c));
}

export function deleteCanned(id: string): Promise<void> {
  return call('ReplyLibraryService.DeleteCanned', () => ReplyLibraryService.DeleteCanned(id));
}

export function kbEntries(brand = ''): Promise<KBEntry[]> {
  return call('ReplyLibraryService.KB', () => ReplyLibraryService.KB(brand));
}

export function saveKB(e: KBEntry): Promise<void> {
  return call('ReplyLibraryService.SaveKB', () => ReplyLibraryService.SaveKB(e));
}

export function brands(): Promise<BrandProfile[]> {
  return call('ReplyLibraryService.Brands', () => ReplyLibraryService.Brands());
}

export function saveBrand(b: BrandProfile): Promise<void> {
  return call('ReplyLibraryService.SaveBrand', () => ReplyLibraryService.SaveBrand(b));
}
