import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTuple, JSONTag, Markup, TaggedJSONSerializer, tuple, UUID } from '../../src/index.ts';

test('tuple() makes a frozen, recognisable array; plain arrays are lists', () => {
  const t = tuple(1, 'a');
  assert.ok(isTuple(t));
  assert.ok(Object.isFrozen(t));
  assert.ok(Array.isArray(t));
  assert.equal(isTuple([1, 'a']), false);
  assert.equal(isTuple(null), false);
  assert.deepEqual(Object.keys(t), ['0', '1']);
});

test('UUID accepts what Python accepts and rejects the rest', () => {
  const hex = '12345678123456781234567812345678';
  for (const s of [
    hex,
    '12345678-1234-5678-1234-567812345678',
    '{12345678-1234-5678-1234-567812345678}',
    'urn:uuid:12345678-1234-5678-1234-567812345678',
    hex.toUpperCase(),
  ])
    assert.equal(new UUID(s).hex, hex, s);
  assert.equal(String(new UUID(hex)), '12345678-1234-5678-1234-567812345678');
  for (const s of ['xyz', hex + '0', hex.slice(1), 'g' + hex.slice(1)])
    assert.throws(() => new UUID(s), TypeError, s);
  assert.equal(UUID.random().hex.length, 32);
  assert.ok(new UUID(hex).equals(new UUID(hex.toUpperCase())));
});

test('Markup takes __html__ objects and strings', () => {
  assert.equal(new Markup('<b>').toString(), '<b>');
  assert.equal(new Markup({ __html__: () => '<i>' }).value, '<i>');
  assert.equal(new Markup(5).value, '5');
});

test('custom tags register like Flask: unique key unless forced, order by index', () => {
  class TagSet extends JSONTag<Set<unknown>> {
    readonly key = ' s';
    check(v: unknown) {
      return v instanceof Set;
    }
    toJSON(v: Set<unknown>) {
      return [...v].map((x) => this.serializer.tag(x));
    }
    toPython(v: unknown) {
      return new Set(v as unknown[]);
    }
  }
  const s = new TaggedJSONSerializer();
  s.register(TagSet);
  const text = s.dumps({ s: new Set([1, tuple(2)]) });
  assert.equal(text, '{"s":{" s":[1,{" t":[2]}]}}');
  const back = s.loads(text) as { s: Set<unknown> };
  assert.ok(back.s instanceof Set);
  assert.equal(back.s.size, 2);
  // a one-key dict whose key is now a tag key is escaped with " di"
  assert.equal(s.dumps({ ' s': 1 }), '{" di":{" s__":1}}');
  assert.throws(() => s.register(TagSet), /already registered/);
  s.register(TagSet, { force: true, index: 0 });
  assert.equal(s.order[0]!.key, ' s');
  // without the tag, a Set is not serializable, as in Flask
  assert.throws(() => new TaggedJSONSerializer().dumps({ s: new Set() }), TypeError);
});

test('sessions use a custom serializer when given one, on both sides', async () => {
  const { dumpSession, loadSession } = await import('../../src/index.ts');
  class TagSet extends JSONTag<Set<unknown>> {
    readonly key = ' s';
    check(v: unknown) {
      return v instanceof Set;
    }
    toJSON(v: Set<unknown>) {
      return [...v];
    }
    toPython(v: unknown) {
      return new Set(v as unknown[]);
    }
  }
  const serializer = new TaggedJSONSerializer();
  serializer.register(TagSet);
  const h = dumpSession({ s: new Set([1, 2]) } as never, {
    secret: 'k',
    serializer,
    now: 1700000000,
  });
  const back = loadSession(h.split(';')[0], 'k', { serializer, now: 1700000000 });
  assert.ok((back.s as unknown) instanceof Set);
  // without the tag the value is a one-key dict, as in a Flask app that lacks the tag
  assert.deepEqual(
    { ...(loadSession(h.split(';')[0], 'k', { now: 1700000000 }).s as object) },
    { ' s': [1, 2] },
  );
});

test('the single-pass writer writes exactly what tag() + pyDumps write, on 3,000 random sessions', async () => {
  const fc = (await import('fast-check')).default;
  const { session } = await import('../interop/_arbitraries.ts');
  const { pyDumps } = await import('../../src/index.ts');
  const s = new TaggedJSONSerializer();
  fc.assert(
    fc.property(session, (data) => {
      const generic = pyDumps(s.tag(data), {
        sortKeys: true,
        ensureAscii: true,
        separators: [',', ':'],
      });
      assert.equal(s.dumps(data), generic);
    }),
    { numRuns: 3000 },
  );
  const cyc: unknown[] = [];
  cyc.push(cyc);
  assert.throws(() => s.dumps({ c: cyc }), RangeError);
  assert.throws(() => s.dumps({ u: undefined }), TypeError);
  assert.throws(() => s.dumps({ d: new Date(NaN) }), RangeError);
});

test('an __html__ that serializes while the writer is busy gets its own buffer', () => {
  const s = new TaggedJSONSerializer();
  class Widget {
    __html__(): string {
      return s.dumps({ x: [1, 2, 3] });
    }
  }
  const inner = new Widget();
  assert.equal(
    s.dumps({ a: 'before', m: inner, z: 'after' }),
    '{"a":"before","m":{" m":"{\\"x\\":[1,2,3]}"},"z":"after"}',
  );
});
