/**
 * `Vary` header merging as Werkzeug's `response.vary.add("Cookie")` does it. Internal.
 * @module
 */

/**
 * The Vary value with `Cookie` added: `Accept-Encoding` becomes `Accept-Encoding, Cookie`. Node
 * lets a header be an array (`res.setHeader('Vary', ['Accept', 'Origin'])`) or a number: all are
 * read as the one comma-separated list they mean.
 */
export function varyWithCookie(current: unknown): string {
  const text = Array.isArray(current)
    ? current.map(String).join(', ')
    : current === undefined || current === null
      ? ''
      : String(current);
  if (!text) return 'Cookie';
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p.toLowerCase() === 'cookie' || p === '*')) return text;
  return `${text}, Cookie`;
}
