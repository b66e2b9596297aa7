/** Placeholder: filled in by the issue-14 work on this page. */
export function EnisPage() {
  return <h1>Enis</h1>;
}
