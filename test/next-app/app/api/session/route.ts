import { cookies } from 'next/headers';
import { getSession } from 'flask-session-cookie/next';
import { options } from '@/lib/session';

/** GET ?k=…&v=… sets a key, ?k=… reads it, ?clear=1 empties the session. */
export async function GET(request: Request) {
  const q = new URL(request.url).searchParams;
  const session = await getSession(await cookies(), options);
  if (q.has('clear')) session.clear();
  else if (q.has('v')) session.set(q.get('k')!, q.get('v')!);
  const value = q.has('k') ? (session.get(q.get('k')!) ?? null) : null;
  await session.save();
  return Response.json({ value, status: session.status });
}
