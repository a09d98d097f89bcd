import { AlertOutlined } from '@ant-design/icons';
import { Card, Space, Tabs } from 'antd';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useCan } from '../auth/permissions';
import { t } from '../i18n';

type Tab = 'alerts' | 'attention';

const PATHS: Record<Tab, string> = { alerts: '/alerts', attention: '/alerts/attention' };

/** 风险预警's frame: the alerts (complaints:read) and the members needing attention (members:read), as tabs. */
export function AlertsFrame({ active, extra, children }: { active: Tab; extra?: ReactNode; children: ReactNode }) {
  const navigate = useNavigate();
  const canAlerts = useCan('complaints:read');
  const canMembers = useCan('members:read');
  const tabs = (
    [
      ['alerts', canAlerts],
      ['attention', canMembers],
    ] as const
  )
    .filter(([tab, allowed]) => allowed || tab === active)
    .map(([tab]) => ({ key: tab, label: t.alerts.tabs[tab] }));
  return (
    <Card
      title={
        <Space>
          <AlertOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {t.alerts.title}
        </Space>
      }
      extra={extra}
    >
      <Tabs
        activeKey={active}
        items={tabs}
        onChange={(tab) => {
          void navigate(PATHS[tab as Tab]);
        }}
        style={{ marginTop: -12 }}
      />
      {children}
    </Card>
  );
}
