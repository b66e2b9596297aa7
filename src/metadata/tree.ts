/**
 * The shape of a metadata tree, and how it is walked and written out. Pure: no HTTP, no store.
 *
 * The cloud serves directories as their children's names one per line (child directories with a
 * trailing `/`) and leaves as plain text; `meta-data/all` is the same tree as one JSON object
 * (metadata-service.md §1, §2).
 */

/** A leaf: plain text; lines (served newline-joined, an array in `all`); or a JSON value (served as JSON text). */
export type MetadataLeaf = { kind: 'text'; value: string } | { kind: 'lines'; values: string[] } | { kind: 'json'; value: unknown };

export interface MetadataDir {
  kind: 'dir';
  children: Map<string, MetadataNode>;
}

export type MetadataNode = MetadataDir | MetadataLeaf;

export function dir(entries: Record<string, MetadataNode | undefined>): MetadataDir {
  const children = new Map<string, MetadataNode>();
  for (const [name, node] of Object.entries(entries)) if (node) children.set(name, node);
  return { kind: 'dir', children };
}

/** A text leaf, or nothing when there is no value (a missing item answers 404, never an empty body). */
export function text(value: string | undefined | null): MetadataLeaf | undefined {
  return value === undefined || value === null || value === '' ? undefined : { kind: 'text', value };
}

export function lines(values: string[]): MetadataLeaf {
  return { kind: 'lines', values };
}

export function json(value: unknown): MetadataLeaf {
  return { kind: 'json', value };
}

/**
 * The node at `segments` (empty segments, from doubled or trailing slashes, are skipped, as
 * clients such as Terway trim them), or undefined.
 */
export function walk(root: MetadataNode, segments: readonly string[]): MetadataNode | undefined {
  let node: MetadataNode | undefined = root;
  for (const seg of segments) {
    if (seg === '') continue;
    if (!node || node.kind !== 'dir') return undefined;
    node = node.children.get(seg);
  }
  return node;
}

/** The body the cloud answers for a node: a listing for a directory, the value for a leaf. */
export function render(node: MetadataNode): string {
  switch (node.kind) {
    case 'dir':
      // No trailing newline: a client splitting on "\n" gets no empty last name.
      return [...node.children].map(([name, child]) => (child.kind === 'dir' ? `${name}/` : name)).join('\n');
    case 'text':
      return node.value;
    case 'lines':
      return node.values.join('\n');
    case 'json':
      return JSON.stringify(node.value);
  }
}

/** The tree as one JSON value (`meta-data/all`): directories become objects, line lists arrays. */
export function toJson(node: MetadataNode): unknown {
  switch (node.kind) {
    case 'dir':
      return Object.fromEntries([...node.children].map(([name, child]) => [name, toJson(child)]));
    case 'text':
      return node.value;
    case 'lines':
      return node.values;
    case 'json':
      return node.value;
  }
}
