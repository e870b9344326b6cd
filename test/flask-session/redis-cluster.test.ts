/**
 * Server-side sessions on a real Redis Cluster (three masters on loopback), through node-redis's
 * cluster client and ioredis' Cluster: each session key lives in one slot, so a cluster needs no
 * change. (Flask-Session 0.8 takes only a plain `redis.Redis`, so this side is Node's alone.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { msgpackEncode, ServerSideSessionInterface, type SessionData } from '../../src/index.ts';
import { redisStore } from '../../src/adapters/redis.ts';
import { redisOrSkip, startRedis, type RedisServer } from '../interop/_redis.ts';

const found = redisOrSkip();
const skip = 'skip' in found ? found.skip : false;
if (skip) console.log(`redis cluster test skipped: ${skip}`);

const nodes: RedisServer[] = [];
const dirs: string[] = [];
let nodeRedis: ReturnType<typeof createCluster> | undefined;
let ioredis: Cluster | undefined;

before(async () => {
  if ('skip' in found) return;
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'fsc-cluster-'));
    dirs.push(dir);
    nodes.push(
      await startRedis(found.bin, {
        cwd: dir,
        args: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '2000',
        ],
      }),
    );
  }
  const create = spawnSync(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    { encoding: 'utf8', timeout: 20000 },
  );
  assert.equal(create.status, 0, create.stdout + create.stderr);
  for (let i = 0; i < 100; i++) {
    const info = String(await nodes[0]!.command('CLUSTER', 'INFO'));
    if (info.includes('cluster_state:ok')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  nodeRedis = createCluster({
    rootNodes: [{ url: nodes[0]!.url }],
    defaults: { disableOfflineQueue: true },
  });
  await nodeRedis.connect();
  ioredis = new Cluster([{ host: '127.0.0.1', port: nodes[1]!.port }], {
    enableOfflineQueue: true,
  });
});

after(async () => {
  await nodeRedis?.close().catch(() => {});
  ioredis?.disconnect();
  await Promise.all(nodes.map((n) => n.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test(
  'sessions round-trip through a three-node cluster with node-redis and ioredis',
  { skip, timeout: 60000 },
  async () => {
    const clients = { 'node-redis': redisStore(nodeRedis!), ioredis: redisStore(ioredis!) };
    const owners = new Set<number>();
    for (const [name, store] of Object.entries(clients)) {
      const iface = new ServerSideSessionInterface({ store, permanentLifetime: 600 });
      for (let i = 0; i < 12; i++) {
        const s = await iface.open(undefined);
        s.set('uname', `user-${name}-${i}`);
        s.set('cart', [1, 2, 3]);
        const { setCookie } = await iface.save(s);
        assert.ok(setCookie, name);
        // the other client reads what this one wrote
        const other = new ServerSideSessionInterface({
          store: name === 'ioredis' ? clients['node-redis'] : clients.ioredis,
        });
        const back = await other.open(setCookie.split(';')[0]);
        assert.equal(back.isNew, false, name);
        assert.equal(back.get('uname'), `user-${name}-${i}`);
        // the key is on exactly one master, with the bytes msgspec would write and Flask-Session's TTL
        const holders: { port: number; bytes: Buffer }[] = [];
        for (const n of nodes) {
          const r = await n.command('GET', `session:${s.sid}`);
          if (Buffer.isBuffer(r)) holders.push({ port: n.port, bytes: r });
        }
        assert.equal(holders.length, 1, 'one master holds each key');
        owners.add(holders[0]!.port);
        assert.deepEqual(
          new Uint8Array(holders[0]!.bytes),
          msgpackEncode(s.toJSON() as SessionData),
        );
        const node = nodes.find((n) => n.port === holders[0]!.port)!;
        const ttl = Number(await node.command('TTL', `session:${s.sid}`));
        assert.ok(ttl > 590 && ttl <= 600, `TTL ${ttl}`);
        // clearing deletes the key in the cluster
        back.clear();
        const cleared = await other.save(back);
        assert.match(cleared.setCookie!, /Max-Age=0/);
        assert.equal(await node.command('GET', `session:${s.sid}`), null);
      }
    }
    assert.ok(owners.size >= 2, `keys spread over ${owners.size} masters`);
  },
);
