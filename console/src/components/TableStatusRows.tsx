/** A list table's one-row states: loading, or nothing to list (with what to do about it). */
export function TableStatusRows({ columns, loading, empty, emptyText }: { columns: number; loading: boolean; empty: boolean; emptyText: string }) {
  if (loading)
    return (
      <tr>
        <td colSpan={columns}>Loading…</td>
      </tr>
    );
  if (!empty) return null;
  return (
    <tr>
      <td colSpan={columns}>{emptyText}</td>
    </tr>
  );
}
