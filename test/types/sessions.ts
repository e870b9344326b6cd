/**
 * Typed sessions in every adapter, declared once (run by `npm run typecheck` with its own
 * tsconfig, so that this declaration stays out of the other tests). Each `@ts-expect-error` line
 * must be an error: if a session loses its type, the line compiles and tsc fails.
 */
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { flaskSession as expressSession } from '../../src/adapters/express.ts';
import { flaskSession as fastifySession } from '../../src/adapters/fastify.ts';
import { flaskSession as honoSession } from '../../src/adapters/hono.ts';
import { webSessions, withSession } from '../../src/adapters/web.ts';
import { flaskSession as koaSession } from '../../src/adapters/koa.ts';
import { getSession as nextSession } from '../../src/adapters/next.ts';

declare module '../../src/index.ts' {
  interface FlaskSessionData {
    cart: string[];
    uname: string;
  }
}

const secret = 'types-secret-0123456789abcdef';

const app = express();
app.use(expressSession({ secret }));
app.get('/', (req, res) => {
  req.session.get('cart')?.push('apple');
  const name: string | undefined = req.session.get('uname');
  // @ts-expect-error the cart holds strings
  req.session.get('cart')?.push(1);
  // @ts-expect-error uname is a string
  req.session.set('uname', 42);
  const k: number | undefined = req.session.keyIndex;
  res.send(`${name} ${k}`);
});

const f = Fastify();
void f.register(fastifySession, { secret });
f.get('/', async (request) => {
  request.session.get('cart')?.push('apple');
  (await request.getSession()).get('cart')?.push('pear');
  // @ts-expect-error the cart holds strings
  request.session.get('cart')?.push(1);
  return request.session.get('uname') ?? '';
});

const h = new Hono();
h.use(honoSession({ secret }));
h.get('/', (c) => {
  c.get('session').get('cart')?.push('apple');
  // @ts-expect-error the cart holds strings
  c.get('session').get('cart')?.push(1);
  return c.text(c.get('session').get('uname') ?? '');
});

const k = new Koa();
k.use(koaSession({ secret }));
k.use((ctx) => {
  ctx.session.get('cart')?.push('apple');
  // @ts-expect-error the cart holds strings
  ctx.session.get('cart')?.push(1);
  ctx.body = ctx.session.get('uname') ?? '';
});

export async function page(store: {
  get(name: string): { value: string } | undefined;
}): Promise<string> {
  const session = await nextSession(store, { secret });
  session.get('cart')?.push('apple');
  // @ts-expect-error the cart holds strings
  session.get('cart')?.push(1);
  return session.get('uname') ?? '';
}

const sessions = webSessions({ secret });
void withSession({ secret }, (request, session) => {
  session.get('cart')?.push('apple');
  // @ts-expect-error the cart holds strings
  session.get('cart')?.push(1);
  const s = sessions.open(request);
  // @ts-expect-error uname is a string
  s.set('uname', 1);
  return new Response(session.get('uname') ?? '');
});

/** Per-call generics still narrow further where the framework allows. */
interface Cart {
  [key: string]: import('../../src/index.ts').SessionValue;
  items: number[];
}
const typed = webSessions<Cart>({ secret });
export const n: number[] | undefined = typed.open(new Request('http://x/')).get('items');
