import { useId, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { useAction } from '../api/hooks.ts';
import { useSession } from '../session.tsx';

/** The navigation, in the order of the real console's ECS and VPC sidebars. */
export const NAVIGATION = [
  { to: '/instances', label: 'Instances' },
  { to: '/enis', label: 'ENIs' },
  { to: '/security-groups', label: 'Security groups' },
  { to: '/vpcs', label: 'VPCs' },
  { to: '/vswitches', label: 'vSwitches' },
  { to: '/eips', label: 'EIPs' },
  { to: '/topology', label: 'Topology' },
] as const;

function RegionSelector() {
  const { region, setRegion } = useSession();
  // The console speaks English, so region names are asked in English, as the international console shows them.
  const regions = useAction<{ Regions: { Region: { RegionId: string; LocalName: string }[] } }>(
    'Ecs',
    'DescribeRegions',
    { AcceptLanguage: 'en-US' },
    { staleTime: Infinity },
  );
  const list = regions.data?.Regions.Region ?? [{ RegionId: region, LocalName: region }];
  // A label beside the select, not around it: wrapped, the select's name would take in the chosen option's text.
  const id = useId();
  return (
    <span className="region-selector">
      <label htmlFor={id}>Region</label>{' '}
      <select id={id} value={region} onChange={(e) => setRegion(e.target.value)}>
        {list.map((r) => (
          <option key={r.RegionId} value={r.RegionId}>
            {r.LocalName} ({r.RegionId})
          </option>
        ))}
      </select>
    </span>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { info, signOut } = useSession();
  return (
    <div className="layout">
      <header className="topbar">
        <a className="brand" href="/console/">
          eniplane
        </a>
        <RegionSelector />
        <span className="account">Account {info.AccountId}</span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav className="sidebar" aria-label="Console">
        <ul>
          {NAVIGATION.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to}>{item.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
