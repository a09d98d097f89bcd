import { Card, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { t } from '../i18n';
import { PublicShell } from './PublicShell';
import { SubmitForm } from './SubmitForm';
import { TrackPanel } from './TrackPanel';

const p = t.publicComplaints;

/**
 * The masses' page, no account needed and made for a phone: file a request and get its tracking code,
 * follow its progress by that code, and rate the result once resolved. `?tab=track&code=…` opens a
 * request directly.
 */
export function PublicComplaintsPage() {
  const [params, setParams] = useSearchParams();
  const code = params.get('code');
  const tab = params.get('tab') === 'track' || code ? 'track' : 'submit';

  const track = (next: string) => {
    setParams({ tab: 'track', code: next });
  };

  return (
    <PublicShell title={p.title} subtitle={p.subtitle}>
      <Card>
        <Tabs
          activeKey={tab}
          centered
          onChange={(next) => {
            setParams(next === 'track' ? { tab: 'track' } : {});
          }}
          items={[
            { key: 'submit', label: p.tabs.submit, children: <SubmitForm onTrack={track} /> },
            { key: 'track', label: p.tabs.track, children: <TrackPanel code={code} onCode={track} /> },
          ]}
        />
      </Card>
    </PublicShell>
  );
}
