// Dev aid: prints the wire shape an official SDK model expects, e.g.
//   node scripts/dump-sdk-model.cjs ecs DescribeRegionsResponseBody
const [, , product, model] = process.argv;
const pkg = product === 'vpc' ? '@alicloud/vpc20160428' : '@alicloud/ecs20140526';
const models = require(`${pkg}/dist/client.js`);
function shape(cls, depth) {
  if (depth > 8) return '...';
  const names = cls.names(),
    types = cls.types();
  const out = {};
  for (const k of Object.keys(names)) {
    const t = types[k];
    out[names[k]] = describe(t, depth);
  }
  return out;
}
function describe(t, depth) {
  if (typeof t === 'string') return t;
  if (typeof t === 'function' && t.names) return shape(t, depth + 1);
  if (t && t.type === 'array') return [describe(t.itemType, depth)];
  if (t && t.type === 'map') return { '<map>': describe(t.valueType, depth) };
  return String(t);
}
const cls = models[model];
if (!cls) {
  console.error('no model', model);
  process.exit(1);
}
console.log(JSON.stringify(shape(cls, 0)));
