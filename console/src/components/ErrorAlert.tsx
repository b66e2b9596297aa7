import type { ConsoleApiError } from '../api/client.ts';

/** A server refusal, where the user acted: the cloud's code, its message and the RequestId. */
export function ErrorAlert({ error }: { error: ConsoleApiError | null | undefined }) {
  if (!error) return null;
  return (
    <div role="alert" className="error-alert">
      <strong>{error.code}</strong>: {error.message}
      {error.requestId && <span className="request-id"> (RequestId {error.requestId})</span>}
    </div>
  );
}
