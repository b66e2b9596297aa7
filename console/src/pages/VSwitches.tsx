/** Placeholder: filled in by the issue-14 work on this page. */
export function VSwitchesPage() {
  return <h1>VSwitches</h1>;
}
