import { useState, type FormEvent } from 'react';
import type { ConsoleApiError } from '../api/client.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { useSessionControl } from '../session.tsx';

/** Sign-in with an account's AccessKey pair; the secret goes to the server once and is not kept here. */
export function SignIn({ reason }: { reason?: ConsoleApiError }) {
  const { signIn } = useSessionControl();
  const [id, setId] = useState('');
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<ConsoleApiError | undefined>(reason);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await signIn(id.trim(), secret);
    } catch (err) {
      setError(err as ConsoleApiError);
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>Sign in to eniplane</h1>
      <p>Use an AccessKey pair of the account, as the SDKs do. `eniplane serve` printed the first account's pair when it created it.</p>
      <form onSubmit={(e) => void submit(e)}>
        <Field label="AccessKey ID">
          <input value={id} onChange={(e) => setId(e.target.value)} autoComplete="username" required />
        </Field>
        <Field label="AccessKey Secret">
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="current-password" required />
        </Field>
        <ErrorAlert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
