import { tCode } from './i18n';

/** sourceName is a listening source's name as people know it (Reddit, Hacker News), not its id. */
export const sourceName = (s: string): string => tCode(`lsources.kind.${s}`, s);
