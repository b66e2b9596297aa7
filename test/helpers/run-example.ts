import { spawn } from 'node:child_process';
import { TEST_KEY } from './server.ts';

export interface ExampleRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an example under examples/ as a user would, against a test server: `node --import tsx
 * <script>` (or the arguments given, e.g. `['--test', script]`) with the server's endpoint (ENIPLANE_ENDPOINT) and the test key pair in the SDKs'
 * variables (ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET), plus `env`; killed after `timeoutMs`.
 */
export function runExample(script: string | readonly string[], endpoint: string, env: Record<string, string> = {}, timeoutMs = 90_000): Promise<ExampleRun> {
  return new Promise((resolve) => {
    // NODE_TEST_CONTEXT would make a `node --test` child report to this runner instead of printing its results.
    const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', ...(typeof script === 'string' ? [script] : script)], {
      env: {
        ...inherited,
        ENIPLANE_ENDPOINT: endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
