/** Placeholder: filled in by the issue-14 work on this page. */
export function InstanceDetailPage() {
  return <h1>Instance Detail</h1>;
}
