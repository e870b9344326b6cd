import { cookies } from 'next/headers';
import { getSession } from 'flask-session-cookie/next';
import { options } from '@/lib/session';

/** What this render read: the proxy's refreshed cookie, if it forwarded one. */
export default async function SessionInfo() {
  const session = await getSession(await cookies(), options);
  return (
    <pre id="session">
      {JSON.stringify({
        status: session.status,
        issuedAt: session.read.issuedAt?.getTime() ?? null,
        data: session.toObject(),
      })}
    </pre>
  );
}
