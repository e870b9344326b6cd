import { NextResponse, type NextRequest } from 'next/server';
import { flaskProxy } from 'flask-session-cookie/next';
import { options } from '@/lib/session';

const sessions = flaskProxy(NextResponse, options);

export async function proxy(request: NextRequest) {
  const session = await sessions.open(request);
  if (request.nextUrl.pathname.startsWith('/account')) {
    const login = await sessions.loginRequired(request, session, '/login'); // no _user_id
    if (login) return login;
  }
  return sessions.next(request, session); // a permanent session: new expiry, seen by this render
}

export const config = { matcher: ['/((?!_next/|api/|favicon.ico).*)'] };
