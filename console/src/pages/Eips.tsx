/** Placeholder: filled in by the issue-14 work on this page. */
export function EipsPage() {
  return <h1>Eips</h1>;
}
