import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRegions } from '../../src/api/ecs/describe-regions.ts';
import { PureResults } from '../../src/api/pure-results.ts';
import { encodeAnswer, type ResponseFormat } from '../../src/wire/encode-response.ts';
import { xmlDocument } from '../../src/wire/envelope.ts';

/** What the route sent before shared bodies had kept encodings: the whole document, encoded each time. */
function fullEncoding(format: ResponseFormat, root: string, requestId: string, body: Record<string, unknown>): string {
  const document = { RequestId: requestId, ...body };
  return format === 'XML' ? xmlDocument(root, document) : JSON.stringify(document);
}

const FORMATS: ResponseFormat[] = ['JSON', 'XML'];
const IDS = ['5A5B6C1D-0000-4000-8000-00000000000A', '', 'needs "escaping" & <quoting>', 'non-ASCII 请求'];

test('encodeAnswer: a shared body answers the same bytes as a full encoding, in JSON and XML, for every RequestId', async () => {
  const body = new PureResults().remember('k', (await describeRegions.handler({}, {} as never)) as Record<string, unknown>);
  for (const format of FORMATS) {
    for (const id of IDS) {
      const expected = fullEncoding(format, 'DescribeRegionsResponse', id, body);
      // The second call is served from the kept encoding.
      for (let i = 0; i < 2; i++) {
        assert.equal(encodeAnswer(format, 'DescribeRegionsResponse', id, body, true).toString('utf8'), expected, `${format} ${JSON.stringify(id)}`);
      }
      assert.equal(encodeAnswer(format, 'DescribeRegionsResponse', id, body, false).toString('utf8'), expected);
    }
  }
});

test('encodeAnswer: bodies a placeholder cannot stand in for are encoded in full, with the same bytes', () => {
  const bodies: Record<string, unknown>[] = [
    // Its own RequestId replaces the request's, in the first position.
    { RequestId: 'from-the-body', Other: 1 },
    // Integer-like keys come before RequestId in JavaScript's key order.
    { 2: 'two', 1: 'one', Name: 'x' },
    {},
    { Nested: { List: [{ A: 'RequestIdPlaceholder-b4e1c2f0-0d9a-4c59-9a57-3f6e2d8c1a70' }] } },
    { Empty: undefined, Text: '<&>' },
  ];
  for (const body of bodies) {
    const frozen = new PureResults().remember('k', body);
    for (const format of FORMATS) {
      for (const id of IDS) {
        assert.equal(
          encodeAnswer(format, 'XResponse', id, frozen, true).toString('utf8'),
          fullEncoding(format, 'XResponse', id, frozen),
          `${format} ${JSON.stringify(body)}`,
        );
      }
    }
  }
});

test('encodeAnswer: one shared body under two roots keeps one encoding per root', () => {
  const body = new PureResults().remember('k', { Value: 1 });
  assert.equal(encodeAnswer('XML', 'AResponse', 'id', body, true).toString(), fullEncoding('XML', 'AResponse', 'id', body));
  assert.equal(encodeAnswer('XML', 'BResponse', 'id', body, true).toString(), fullEncoding('XML', 'BResponse', 'id', body));
});
