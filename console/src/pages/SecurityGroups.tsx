/** Placeholder: filled in by the issue-14 work on this page. */
export function SecurityGroupsPage() {
  return <h1>Security Groups</h1>;
}
