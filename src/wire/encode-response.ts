import { escapeXml, xmlDocument } from './envelope.ts';

/**
 * Response bodies as bytes: `{RequestId, ...body}` in JSON, or in XML under `root`.
 *
 * A shared body (a pure action's kept result, src/api/pure-results.ts) is the same frozen object
 * for every equal call, so its encoding is kept too, split where the RequestId goes: answering is
 * then two copies and the id, instead of walking and encoding the whole result each time (the
 * largest cost of a catalog call). The split is made by encoding the body once around a
 * placeholder id, so the bytes are the ones a full encoding gives, key order included.
 */

export type ResponseFormat = 'JSON' | 'XML';

/** Letters, digits and dashes: the same text escaped or not, in JSON and in XML. */
const PLACEHOLDER = 'RequestIdPlaceholder-b4e1c2f0-0d9a-4c59-9a57-3f6e2d8c1a70';
/** RequestIds that need no escaping in either format (every id eniplane makes). */
const PLAIN_ID = /^[A-Za-z0-9-]*$/;

interface Template {
  head: Buffer;
  tail: Buffer;
}

/** Per shared body: per format and root, its template (null: this body cannot be split, see templateOf). */
const templates = new WeakMap<object, Map<string, Template | null>>();

function documentText(format: ResponseFormat, root: string, document: Readonly<Record<string, unknown>>): string {
  return format === 'XML' ? xmlDocument(root, document) : JSON.stringify(document);
}

function encodeText(format: ResponseFormat, root: string, requestId: string, body: Readonly<Record<string, unknown>>): string {
  return documentText(format, root, { RequestId: requestId, ...body });
}

/** A whole document (an error body, which carries its RequestId itself). */
export function encodeDocument(format: ResponseFormat, root: string, document: Readonly<Record<string, unknown>>): Buffer {
  // Encoded to bytes here: Fastify then takes the length from the buffer instead of measuring a string.
  return Buffer.from(documentText(format, root, document), 'utf8');
}

function templateOf(format: ResponseFormat, root: string, body: Readonly<Record<string, unknown>>): Template | null {
  let byShape = templates.get(body);
  if (!byShape) templates.set(body, (byShape = new Map()));
  const shape = `${format} ${root}`;
  let template = byShape.get(shape);
  if (template === undefined) {
    const text = encodeText(format, root, PLACEHOLDER, body);
    const at = text.indexOf(PLACEHOLDER);
    // Exactly one occurrence, or no template: a body with its own RequestId (or the placeholder's text) is encoded in full.
    const splittable = at >= 0 && text.indexOf(PLACEHOLDER, at + 1) < 0;
    template = splittable ? { head: Buffer.from(text.slice(0, at), 'utf8'), tail: Buffer.from(text.slice(at + PLACEHOLDER.length), 'utf8') } : null;
    byShape.set(shape, template);
  }
  return template;
}

function escapedId(format: ResponseFormat, requestId: string): string {
  if (PLAIN_ID.test(requestId)) return requestId;
  return format === 'XML' ? escapeXml(requestId) : JSON.stringify(requestId).slice(1, -1);
}

/** An action's answer: `{RequestId, ...body}`; `shared` as DispatchResult has it (the body is kept and frozen). */
export function encodeAnswer(format: ResponseFormat, root: string, requestId: string, body: Readonly<Record<string, unknown>>, shared: boolean): Buffer {
  const template = shared ? templateOf(format, root, body) : null;
  if (!template) return Buffer.from(encodeText(format, root, requestId, body), 'utf8');
  const id = escapedId(format, requestId);
  const idLength = Buffer.byteLength(id, 'utf8');
  const out = Buffer.allocUnsafe(template.head.length + idLength + template.tail.length);
  template.head.copy(out, 0);
  out.write(id, template.head.length, 'utf8');
  template.tail.copy(out, template.head.length + idLength);
  return out;
}
