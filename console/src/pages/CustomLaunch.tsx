/** Placeholder: filled in by the issue-14 work on this page. */
export function CustomLaunchPage() {
  return <h1>Custom Launch</h1>;
}
