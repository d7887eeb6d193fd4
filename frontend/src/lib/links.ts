/**
 * webHref is url when it is an absolute http(s) address, else undefined, so a
 * link from outside (a mention's or author's address a source sent) is only
 * ever a web link: never javascript:, data: or a path into the app. The
 * account forms accept the same as an address.
 */
export function webHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim());
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
