/** The three benchmark sessions: a login, a shopping session, a large mixed one. Deterministic. */
import { tuple, type SessionData } from '../src/index.ts';

/** Deterministic hex, so every run benchmarks the same bytes. */
function hex(seed: number, n: number): string {
  let x = seed >>> 0;
  let s = '';
  while (s.length < n) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    s += (x >>> 4).toString(16).padStart(7, '0');
  }
  return s.slice(0, n);
}

/** A Flask-Login session: ~250 bytes of JSON. */
export const small: SessionData = {
  _user_id: '42',
  _fresh: true,
  _id: hex(1, 128),
  csrf_token: hex(2, 40),
  _permanent: true,
};

/** Plus flashed messages (tuples) and a cart with unicode names: ~1 KB. */
export const medium: SessionData = {
  ...small,
  _flashes: [
    tuple('message', 'Welcome back, Zoë!'),
    tuple('info', 'Your order #10234 has shipped.'),
    tuple('warning', 'Your card expires next month.'),
  ],
  cart: [
    { sku: 'A-1001', name: 'Café au lait — 250 g', qty: 2, price: 7.5 },
    { sku: 'B-2002', name: 'Thé vert Sencha 緑茶', qty: 1, price: 12.9 },
    { sku: 'C-3003', name: 'Crème brûlée kit', qty: 3, price: 19.99 },
    { sku: 'D-4004', name: 'Smørrebrød cookbook', qty: 1, price: 24.0 },
    { sku: 'E-5005', name: 'Jalapeño salsa 🌶', qty: 4, price: 3.25 },
  ],
  currency: 'EUR',
  locale: 'fr_FR',
  shipping: {
    name: 'Zoë Dupré',
    street: '12 rue de la Paix',
    city: 'Paris',
    zip: '75002',
    country: 'FR',
  },
};

/** Mixed data, ~3.5 KB of JSON, still under 4093 bytes once compressed. */
export const large: SessionData = {
  ...medium,
  last_login: new Date(Date.UTC(2026, 10, 20, 8, 30, 0)),
  preferences: { theme: 'dark', newsletter: false, page_size: 50, timezone: 'Europe/Paris' },
  history: Array.from({ length: 27 }, (_, i) => ({
    path: `/products/${hex(100 + i, 8)}`,
    title: `Product ${i} – ${['bleu', 'rouge', 'vert', 'noir'][i % 4]}`,
    seen: 1763600000 + i * 97,
  })),
  ab_tests: Object.fromEntries(
    Array.from({ length: 12 }, (_, i) => [`exp_${i}`, hex(200 + i, 12)]),
  ),
  nonce: hex(300, 64),
};

export const payloads: Record<'small' | 'medium' | 'large', SessionData> = { small, medium, large };
