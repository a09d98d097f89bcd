import { BookOutlined, TeamOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Descriptions, Space, Tag, type DescriptionsProps } from 'antd';
import { useNavigate } from 'react-router';
import type { OrgRead } from '../api';
import { useCan } from '../auth/permissions';
import { t } from '../i18n';
import { formatDate, formatNumber } from '../lib/format';
import { orgKindColor, orgKindLabel } from './kinds';
import { OrgStatsCard } from './OrgStatsCard';

const fields = t.org.fields;

function describe(org: OrgRead): DescriptionsProps['items'] {
  return [
    { key: 'kind', label: fields.kind, children: <Tag color={orgKindColor(org.kind)}>{orgKindLabel(org.kind)}</Tag> },
    { key: 'code', label: fields.code, children: org.code ?? t.org.empty },
    { key: 'secretary', label: fields.secretary, children: org.secretary_name ?? t.org.empty },
    { key: 'phone', label: fields.phone, children: org.contact_phone ?? t.org.empty },
    { key: 'established', label: fields.established, children: org.established_on ? formatDate(org.established_on) : t.org.empty },
    {
      key: 'status',
      label: fields.status,
      children: <Badge status={org.status === 'active' ? 'success' : 'default'} text={t.org.statuses[org.status]} />,
    },
    { key: 'children', label: fields.children, children: formatNumber(org.child_count) },
    { key: 'population', label: fields.population, children: org.population == null ? t.org.empty : formatNumber(org.population) },
  ];
}

/** The selected organisation's record and its subtree statistics. */
export function OrgDetail({ org }: { org: OrgRead }) {
  const canReadMembers = useCan('members:read');
  const navigate = useNavigate();
  const links = canReadMembers ? (
    <Space wrap>
      <Button icon={<TeamOutlined />} onClick={() => void navigate(`/members?org=${org.id}`)}>
        {t.org.viewMembers}
      </Button>
      <Button icon={<BookOutlined />} onClick={() => void navigate(`/study?org=${org.id}`)}>
        {t.org.viewActivities}
      </Button>
    </Space>
  ) : null;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={org.name} extra={links} data-testid="org-detail">
        <Descriptions items={describe(org)} column={{ xs: 1, sm: 2 }} bordered size="small" />
      </Card>
      <OrgStatsCard orgId={org.id} />
    </Space>
  );
}
