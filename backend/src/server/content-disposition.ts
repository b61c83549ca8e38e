/** A file name in a Content-Disposition header: an ASCII fallback plus the RFC 5987 UTF-8 form. */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  let utf8: string | null;
  try {
    utf8 = encodeURIComponent(name);
  } catch {
    utf8 = null; // a lone surrogate: the ASCII form only
  }
  return utf8 === null ? `attachment; filename="${ascii}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
