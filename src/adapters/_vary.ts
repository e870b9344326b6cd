/**
 * `Vary` header merging as Werkzeug's `response.vary.add("Cookie")` does it. Internal.
 * @module
 */

/** The Vary value with `Cookie` added: `Accept-Encoding` becomes `Accept-Encoding, Cookie`. */
export function varyWithCookie(current: string | null | undefined): string {
  if (!current) return 'Cookie';
  const parts = current.split(',').map((p) => p.trim());
  if (parts.some((p) => p.toLowerCase() === 'cookie' || p === '*')) return current;
  return `${current}, Cookie`;
}
