'use server';
import { cookies } from 'next/headers';
import { flash, getSession } from 'flask-session-cookie/next';
import { options } from '@/lib/session';

export async function addToCart(form: FormData) {
  const session = await getSession<{ cart?: string[] }>(await cookies(), options);
  session.set('cart', [...(session.get('cart') ?? []), String(form.get('item'))]);
  flash(session, 'Added to your cart', 'info'); // shown by Flask's get_flashed_messages()
  await session.save(); // Flask's rules: a new cookie since the session changed
}

export async function logout() {
  const session = await getSession(await cookies(), options);
  session.clear();
  await session.save(); // the deletion cookie: Flask sees no user either
}
