import { cookies } from 'next/headers';
import { getSession } from 'flask-session-cookie/next';
import { options } from '@/lib/session';

export default async function Account() {
  const session = await getSession(await cookies(), options);
  return <p id="account">Account of {String(session.get('_user_id'))}</p>;
}
