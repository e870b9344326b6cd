/**
 * flask-session-cookie: read and write Flask session cookies from any JavaScript runtime, byte
 * for byte as Flask does, with a full port of itsdangerous.
 *
 * The package root exports the portable core, folder by folder, each folder named after the Python
 * package it ports (its `index.ts` lists what it exports). The framework adapters and the Redis
 * store are subpaths (`/express`, `/fastify`, `/hono`, `/web`, `/redis`), so that their clients
 * stay optional.
 * @module
 */

export * from './flask/index.ts';
export * from './flask-session/index.ts';
export * from './itsdangerous/index.ts';
export * from './werkzeug/index.ts';
export * from './python/index.ts';
export * from './flask-login/index.ts';
export * from './flask-wtf/index.ts';
