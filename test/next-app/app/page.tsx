import { cookies } from 'next/headers';
import { getSession } from 'flask-session-cookie/next';
import { options } from '@/lib/session';
import { addToCart, logout } from './actions';

export default async function Home() {
  const session = await getSession<{ _user_id?: string; cart?: string[] }>(
    await cookies(),
    options,
  );
  const user = session.get('_user_id');
  return (
    <main>
      <p id="user">{user ? `Logged in as ${user}` : 'Not logged in'}</p>
      <p id="cart">Cart: {(session.get('cart') ?? []).join(', ')}</p>
      <form action={addToCart}>
        <input name="item" /> <button id="add">Add</button>
      </form>
      <form action={logout}>
        <button id="logout">Log out</button>
      </form>
    </main>
  );
}
