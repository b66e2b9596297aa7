/** Placeholder: filled in by the issue-14 work on this page. */
export function TopologyPage() {
  return <h1>Topology</h1>;
}
