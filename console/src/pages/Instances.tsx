/** Placeholder: filled in by the issue-14 work on this page. */
export function InstancesPage() {
  return <h1>Instances</h1>;
}
