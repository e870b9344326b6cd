import { cookies } from 'next/headers';
import { MemoryStore, getSession } from 'flask-session-cookie/next';

// one store for this server process (the test's; a real app would use redisStore)
const store = new MemoryStore();

/** GET ?k=…&v=… sets a key in a server-side session, ?k=… reads it. */
export async function GET(request: Request) {
  const q = new URL(request.url).searchParams;
  const session = await getSession(await cookies(), { store });
  if (q.has('v')) session.set(q.get('k')!, q.get('v')!);
  const value = session.get(q.get('k')!) ?? null;
  await session.save();
  return Response.json({ value, size: store.size });
}
