import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { consoleApi, ConsoleApiError, rememberCsrf, setSignedOutHandler, type SessionInfo } from './api/client.ts';

/**
 * Who is signed in, and in which region the console works. The session itself lives on the
 * server (an HttpOnly cookie the page cannot read); the page keeps only the CSRF token in memory.
 */

type State = { kind: 'loading' } | { kind: 'signed-out'; reason?: ConsoleApiError } | { kind: 'signed-in'; info: SessionInfo };

interface SessionValue {
  info: SessionInfo;
  region: string;
  setRegion(region: string): void;
  signOut(): Promise<void>;
}

interface SessionControl {
  state: State;
  signIn(accessKeyId: string, accessKeySecret: string): Promise<void>;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);
const ControlContext = createContext<SessionControl | undefined>(undefined);

const REGION_KEY = 'eniplane.region';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [region, setRegionState] = useState<string>(() => localStorage.getItem(REGION_KEY) ?? '');
  const queries = useQueryClient();

  const enter = useCallback((info: SessionInfo) => {
    rememberCsrf(info.CsrfToken);
    setRegionState((r) => r || info.DefaultRegion);
    setState({ kind: 'signed-in', info });
  }, []);

  useEffect(() => {
    setSignedOutHandler((reason) => {
      rememberCsrf('');
      queries.clear();
      setState({ kind: 'signed-out', reason });
    });
    consoleApi.session().then(enter, (err: ConsoleApiError) =>
      // An expired session says so on the sign-in page; never having signed in needs no message.
      setState({ kind: 'signed-out', reason: err.code === 'Console.SessionExpired' ? err : undefined }),
    );
  }, [enter, queries]);

  const control = useMemo<SessionControl>(
    () => ({
      state,
      async signIn(accessKeyId, accessKeySecret) {
        enter(await consoleApi.signIn(accessKeyId, accessKeySecret));
      },
    }),
    [state, enter],
  );

  const value = useMemo<SessionValue | undefined>(() => {
    if (state.kind !== 'signed-in') return undefined;
    return {
      info: state.info,
      region: region || state.info.DefaultRegion,
      setRegion(next) {
        localStorage.setItem(REGION_KEY, next);
        setRegionState(next);
      },
      async signOut() {
        await consoleApi.signOut().catch(() => {});
        rememberCsrf('');
        queries.clear();
        setState({ kind: 'signed-out' });
      },
    };
  }, [state, region, queries]);

  return (
    <ControlContext.Provider value={control}>
      <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
    </ControlContext.Provider>
  );
}

/** The signed-in session; only pages behind the sign-in gate call it. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in console');
  return value;
}

export function useSessionControl(): SessionControl {
  const value = useContext(ControlContext);
  if (!value) throw new Error('useSessionControl outside SessionProvider');
  return value;
}
