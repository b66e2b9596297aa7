import { LinkButton } from './LinkButton.tsx';

/** Tag Key/Value rows of a create form; `max` is the declaration's maxItems of Tag (never a number of the page's own). */
export interface TagRow {
  Key: string;
  Value: string;
}

export function TagRows({ rows, onChange, max }: { rows: TagRow[]; onChange(rows: TagRow[]): void; max: number | undefined }) {
  const set = (i: number, change: Partial<TagRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <fieldset className="tag-rows">
      <legend>Tags</legend>
      {rows.map((row, i) => (
        <div className="tag-row" key={i}>
          <label>
            Tag {i + 1} key <input value={row.Key} onChange={(e) => set(i, { Key: e.target.value })} />
          </label>
          <label>
            Tag {i + 1} value <input value={row.Value} onChange={(e) => set(i, { Value: e.target.value })} />
          </label>
          <LinkButton label={`Remove tag ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </LinkButton>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { Key: '', Value: '' }])} disabled={max !== undefined && rows.length >= max}>
        Add tag
      </button>
      {max !== undefined && <span className="hint"> at most {max}</span>}
    </fieldset>
  );
}

/** The rows with a key, in the declaration's shape (Tag: [{Key, Value}]). */
export function tagsParam(rows: TagRow[]): TagRow[] {
  return rows.filter((r) => r.Key.trim() !== '').map((r) => ({ Key: r.Key.trim(), Value: r.Value }));
}
