/** An instance's OS configuration tab: what `eniplane guest render` writes for it (the guest-config view). */
import { useState } from 'react';
import { useView } from '../../api/hooks.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Field } from '../../components/Field.tsx';
import type { InstanceSummary } from '../../components/InstanceActions.tsx';

interface GuestConfig {
  InstanceId: string;
  ImageId: string;
  ImageDistro: string;
  Distro: string;
  Format: string;
  Formats: string[];
  Restart: string;
  EniCount: number;
  Files: { Path: string; Content: string; Mode: string }[];
  Distros: { Distro: string; Formats: string[] }[];
  Problem?: string;
}

/** What `eniplane guest render` writes for this instance (the server renders it with the CLI's code). */
export function OsConfigurationTab({ instance }: { instance: InstanceSummary }) {
  const [distro, setDistro] = useState('');
  const [format, setFormat] = useState('');
  const config = useView<GuestConfig>(
    'guest-config',
    { InstanceId: instance.InstanceId, Distro: distro || undefined, Format: format || undefined },
    { placeholderData: (prev) => prev },
  );
  const c = config.data;
  const formats = distro ? (c?.Distros.find((d) => d.Distro === distro)?.Formats ?? []) : (c?.Formats ?? []);
  return (
    <>
      <h2>OS configuration</h2>
      <p className="hint">
        The files <code>eniplane guest render --instance {instance.InstanceId}</code> writes inside the guest from the metadata service, for the ENIs attached
        now (InUse): the seed’s “Configure the ENI in the OS” steps for this instance. Save each file at its path, then run the restart command.
      </p>
      <div className="filters">
        <Field label="Distro">
          <select
            value={distro}
            onChange={(e) => {
              setDistro(e.target.value);
              setFormat('');
            }}
          >
            <option value="">From the image{c?.ImageDistro ? ` (${c.ImageDistro})` : ''}</option>
            {c?.Distros.map((d) => (
              <option key={d.Distro} value={d.Distro}>
                {d.Distro}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Format">
          <select value={format} onChange={(e) => setFormat(e.target.value)}>
            <option value="">Default{formats[0] ? ` (${formats[0]})` : ''}</option>
            {formats.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorAlert error={config.error} />
      {config.isLoading && <p>Loading…</p>}
      {c?.Problem && (
        <p role="alert" className="notice">
          {c.Problem}. Choose a distro above.
        </p>
      )}
      {c && c.Distro && (
        <>
          <p>
            {c.Distro}, format {c.Format}: {c.EniCount} ENI(s), image {c.ImageId}.
          </p>
          {c.Files.map((f) => (
            <article key={f.Path} aria-label={f.Path}>
              <div className="file-head">
                <h3>{f.Path}</h3>
                <span className="hint">mode {f.Mode}</span>
                <CopyButton text={f.Content} label={`Copy ${f.Path}`} />
              </div>
              <pre className="code" tabIndex={0}>
                {f.Content}
              </pre>
            </article>
          ))}
          <div className="file-head">
            <h3>Restart command</h3>
            <CopyButton text={c.Restart} label="Copy the restart command" />
          </div>
          <pre className="code" tabIndex={0}>
            {c.Restart}
          </pre>
        </>
      )}
    </>
  );
}
