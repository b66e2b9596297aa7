import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assignIndexes, loadIndexState, parseIndexState, saveIndexState, serializeIndexState } from '../../src/guest/index-state.ts';

const P = '00:16:3e:00:00:01';
const A = '00:16:3e:00:00:0a';
const B = '00:16:3e:00:00:0b';
const C = '00:16:3e:00:00:0c';

test('index state: the primary is 0 and new MACs take the lowest unused index, in MAC order', () => {
  assert.deepEqual(assignIndexes({}, [B, P, A], P), { [P]: 0, [A]: 1, [B]: 2 });
});

test('index state: a remembered MAC keeps its index whatever the listing order', () => {
  assert.deepEqual(assignIndexes({ [P]: 0, [B]: 1, [A]: 2 }, [A, B, P], P), { [P]: 0, [B]: 1, [A]: 2 });
});

test('index state: a detached MAC frees its index, which the next new MAC takes; others are not renumbered', () => {
  const first = assignIndexes({}, [P, A, B], P); // A=1, B=2
  const afterDetach = assignIndexes(first, [P, B], P);
  assert.deepEqual(afterDetach, { [P]: 0, [B]: 2 });
  assert.deepEqual(assignIndexes(afterDetach, [P, B, C], P), { [P]: 0, [B]: 2, [C]: 1 });
});

test('index state: a remembered 0 on a non-primary MAC, or a taken index, is not kept', () => {
  assert.deepEqual(assignIndexes({ [A]: 0 }, [P, A], P), { [P]: 0, [A]: 1 });
});

test('index state: the primary must be listed', () => {
  assert.throws(() => assignIndexes({}, [A], P), /primary MAC .* not among/);
});

test('index state: the file round-trips, sorted by index', () => {
  const text = serializeIndexState({ [B]: 2, [P]: 0, [A]: 1 });
  assert.equal(text, `{\n  "version": 1,\n  "indexes": {\n    "${P}": 0,\n    "${A}": 1,\n    "${B}": 2\n  }\n}\n`);
  assert.deepEqual(parseIndexState(text, 'x'), { [P]: 0, [A]: 1, [B]: 2 });
});

test('index state: a corrupt file is refused loudly (two MACs on one table, bad MAC, not JSON)', () => {
  assert.throws(() => parseIndexState(JSON.stringify({ indexes: { [A]: 1, [B]: 1 } }), 'f'), /share index 1/);
  assert.throws(() => parseIndexState(JSON.stringify({ indexes: { 'AA:BB': 1 } }), 'f'), /not a lower-case MAC/);
  assert.throws(() => parseIndexState(JSON.stringify({ indexes: { [A]: -1 } }), 'f'), /not a whole number/);
  assert.throws(() => parseIndexState('{', 'f'), /not JSON/);
  assert.throws(() => parseIndexState('[]', 'f'), /no "indexes"/);
});

test('index state: load of a missing file is empty; save writes atomically and load reads it back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-index-'));
  try {
    const path = join(dir, 'deep/nic-index.json');
    assert.deepEqual(loadIndexState(path), {});
    saveIndexState(path, { [P]: 0, [A]: 1 });
    assert.deepEqual(loadIndexState(path), { [P]: 0, [A]: 1 });
    assert.match(readFileSync(path, 'utf8'), /"version": 1/);
    writeFileSync(path, 'garbage');
    assert.throws(() => loadIndexState(path), /not JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
