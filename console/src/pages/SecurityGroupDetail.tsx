/** Placeholder: filled in by the issue-14 work on this page. */
export function SecurityGroupDetailPage() {
  return <h1>Security Group Detail</h1>;
}
