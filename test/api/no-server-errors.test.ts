import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TObject, TSchema } from '@sinclair/typebox';
import { PRODUCT_VERSION } from '../../src/api/define-action.ts';
import { allActions } from '../../src/api/registry.ts';
import { callV1 } from '../helpers/raw-client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/** Every declared parameter, on the wire, set to `value` (lists get one element, objects their fields). */
function junkParams(schema: TSchema, value: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, prop] of Object.entries((schema as TObject).properties ?? {})) {
    const key = prefix + name;
    if (prop.type === 'array' && !prop.wire) {
      const items = prop.items as TSchema;
      if (items.type === 'object') Object.assign(out, junkParams(items, value, `${key}.1.`));
      else out[`${key}.1`] = value;
    } else if (prop.type === 'object') {
      Object.assign(out, junkParams(prop, value, `${key}.`));
    } else {
      out[key] = value;
    }
  }
  return out;
}

describe('no client mistake is answered with a 500', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.dispose());

  test('every action: no parameters, junk strings, junk numbers, a region that exists: always a 2xx or a 4xx with a Code', async () => {
    for (const { def } of allActions()) {
      const variants: Record<string, string>[] = [
        {},
        junkParams(def.params, 'x'),
        junkParams(def.params, '-1'),
        { ...junkParams(def.params, '1'), RegionId: 'cn-hangzhou' },
        { ...junkParams(def.params, '["a"]'), RegionId: 'cn-hangzhou' },
      ];
      for (const params of variants) {
        const res = await callV1(server.endpoint, def.name, PRODUCT_VERSION[def.product], params);
        assert.ok(res.status < 500, `${def.name} ${JSON.stringify(params)} answered ${res.status}: ${res.text}`);
        if (res.status >= 400) assert.ok(res.json().Code, `${def.name}: an error without Code`);
      }
    }
  });
});
