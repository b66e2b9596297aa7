import { Navigate, Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { CustomLaunchPage } from './pages/CustomLaunch.tsx';
import { EipsPage } from './pages/Eips.tsx';
import { EnisPage } from './pages/Enis.tsx';
import { InstanceDetailPage } from './pages/InstanceDetail.tsx';
import { InstancesPage } from './pages/Instances.tsx';
import { SecurityGroupDetailPage } from './pages/SecurityGroupDetail.tsx';
import { SecurityGroupsPage } from './pages/SecurityGroups.tsx';
import { SignIn } from './pages/SignIn.tsx';
import { TopologyPage } from './pages/Topology.tsx';
import { VpcsPage } from './pages/Vpcs.tsx';
import { VSwitchesPage } from './pages/VSwitches.tsx';
import { useSessionControl } from './session.tsx';

export function App() {
  const { state } = useSessionControl();
  if (state.kind === 'loading') return <p className="loading">Loading…</p>;
  if (state.kind === 'signed-out') return <SignIn reason={state.reason} />;
  return (
    <Layout>
      <Routes>
        <Route path="/" element={<Navigate to="/enis" replace />} />
        <Route path="/enis" element={<EnisPage />} />
        <Route path="/instances" element={<InstancesPage />} />
        <Route path="/instances/launch" element={<CustomLaunchPage />} />
        <Route path="/instances/:instanceId/*" element={<InstanceDetailPage />} />
        <Route path="/vpcs" element={<VpcsPage />} />
        <Route path="/vswitches" element={<VSwitchesPage />} />
        <Route path="/security-groups" element={<SecurityGroupsPage />} />
        <Route path="/security-groups/:groupId" element={<SecurityGroupDetailPage />} />
        <Route path="/eips" element={<EipsPage />} />
        <Route path="/topology" element={<TopologyPage />} />
        <Route path="*" element={<h1>Not found</h1>} />
      </Routes>
    </Layout>
  );
}
