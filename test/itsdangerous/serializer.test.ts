/** itsdangerous' Serializer and TimedSerializer (serializer.py, timed.py) against itsdangerous' tokens. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Serializer,
  TimedSerializer,
  URLSafeSerializer,
  URLSafeTimedSerializer,
} from '../../src/index.ts';
import { vectors as fx } from '../_fixtures.ts';

test('Serializers: dumps at a frozen second equals itsdangerous, loads gives the object back', () => {
  const classes = {
    Serializer,
    TimedSerializer,
    URLSafeSerializer,
    URLSafeTimedSerializer,
  } as const;
  for (const c of fx.serializer) {
    const Cls = classes[c.class as keyof typeof classes];
    const s = new Cls('secret-key', c.salt ? { salt: c.salt } : {});
    const token = s instanceof TimedSerializer ? s.dumps(c.obj, undefined, c.now) : s.dumps(c.obj);
    assert.equal(token, c.token, `${c.class} ${JSON.stringify(c.obj)}`);
    const loaded =
      s instanceof TimedSerializer ? s.loads(c.token, { now: c.now, maxAge: 5 }) : s.loads(c.token);
    // Python json: -0.0 and 1e16 are floats; compare through Python's own text
    assert.equal(JSON.stringify(loaded), JSON.stringify(c.obj));
  }
});
