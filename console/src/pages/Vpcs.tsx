/** Placeholder: filled in by the issue-14 work on this page. */
export function VpcsPage() {
  return <h1>Vpcs</h1>;
}
