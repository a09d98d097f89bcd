import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { useAuth } from '../auth/authContext';
import { BranchDashboard } from './BranchDashboard';
import { homeViewOf } from './homeView';
import { MemberWelcome } from './MemberWelcome';

// The charts (and ECharts with them) load only for the callers who see them.
const CountyDashboard = lazy(() => import('./CountyDashboard').then(({ CountyDashboard }) => ({ default: CountyDashboard })));

const spinner = <Spin style={{ display: 'block', marginTop: 96 }} />;

/** `/`: the caller's home, chosen by what `/auth/me` says they are (see `homeViewOf`). */
export function HomePage() {
  const { user } = useAuth();
  if (!user) return spinner;
  switch (homeViewOf(user)) {
    case 'member':
      return <MemberWelcome />;
    case 'branch':
      return <BranchDashboard org={user.org_id} />;
    case 'county':
      return (
        <Suspense fallback={spinner}>
          <CountyDashboard homeOrg={user.org_id} />
        </Suspense>
      );
  }
}
