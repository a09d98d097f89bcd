import { ArrowLeftOutlined, LockOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Result, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { getScoringScheme, publishScoringScheme, type SchemeRead } from '../api';
import { useCan } from '../auth/permissions';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDate, formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { BranchesTab } from './BranchesTab';
import { CasesTab } from './CasesTab';
import { ItemsTab } from './ItemsTab';
import { etagOf, periodLabel, SCHEME_STATUS_COLORS } from './labels';
import { ResultsTab } from './ResultsTab';
import { RoundsTab } from './RoundsTab';
import { RulesTab } from './RulesTab';

const s = t.scoring;
const f = s.fields;
const empty = t.common.empty;

const TABS = ['rules', 'rounds', 'results', 'branches', 'items', 'cases'] as const;
type Tab = (typeof TABS)[number];

function Summary({ scheme, orgName }: { scheme: SchemeRead; orgName: string }) {
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 4 }}
      items={[
        { key: 'org', label: f.org, children: orgName },
        { key: 'period', label: f.period, children: `${periodLabel(scheme)}（${formatDate(scheme.period_start)} – ${formatDate(scheme.period_end)}）` },
        { key: 'version', label: f.version, children: `v${scheme.version}` },
        { key: 'computed', label: f.computedAt, children: scheme.computed_at ? formatDateTime(scheme.computed_at) : s.notComputed },
        ...(scheme.published_at
          ? [{ key: 'published', label: f.publishedAt, children: `${formatDateTime(scheme.published_at)} · ${scheme.published_by ?? empty}` }]
          : []),
      ]}
    />
  );
}

/**
 * One scheme: its rules and weights (editable until published), the evaluation rounds with their ballots,
 * the recompute job, results and rankings with each member's explanation, branch stars, manual items and
 * the follow-up of 不合格; publishing locks it all.
 */
export function SchemePage() {
  const { schemeId } = useParams();
  const id = Number(schemeId);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { message, modal } = App.useApp();
  const canApprove = useCan('scoring:approve');
  const loaded = useLoader<SchemeRead>(() => getScoringScheme({ path: { scheme_id: id } }).then(({ data }) => data), String(id));
  const scheme = loaded.data;
  const orgNames = useOrgNames(scheme ? [scheme.org_id] : []);
  const tab: Tab = TABS.find((key) => key === params.get('tab')) ?? 'rules';

  const back = (
    <Button
      icon={<ArrowLeftOutlined />}
      onClick={() => {
        void navigate('/scoring');
      }}
    >
      {t.common.back}
    </Button>
  );
  if (loaded.error) {
    return loaded.error instanceof ApiError && loaded.error.status === 404 ? (
      <Result status="404" title={t.common.notFound} extra={back} />
    ) : (
      <Alert type="error" showIcon title={errorMessage(loaded.error)} action={back} />
    );
  }
  if (!scheme) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  const locked = scheme.status === 'published';

  const publish = () => {
    modal.confirm({
      title: s.publishConfirmTitle,
      content: s.publishConfirm(scheme.name),
      okText: s.publish,
      cancelText: t.common.cancel,
      onOk: async () => {
        try {
          await publishScoringScheme({ path: { scheme_id: scheme.id }, headers: { 'if-match': etagOf(scheme.version) } });
          void message.success(s.published);
        } catch (caught) {
          void message.error(caught instanceof ApiError && caught.status === 412 ? s.staleReloaded : errorMessage(caught));
        }
        loaded.reload();
      },
    });
  };

  const tabBody = (key: Tab) => {
    switch (key) {
      case 'rules':
        return <RulesTab scheme={scheme} onChanged={loaded.reload} />;
      case 'rounds':
        return <RoundsTab scheme={scheme} />;
      case 'results':
        return <ResultsTab scheme={scheme} onComputed={loaded.reload} />;
      case 'branches':
        return <BranchesTab scheme={scheme} />;
      case 'items':
        return <ItemsTab scheme={scheme} />;
      case 'cases':
        return <CasesTab scheme={scheme} />;
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <div className="page-title" style={{ marginBottom: 12, display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
          {back}
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="scheme-name">
            {scheme.name}
          </Typography.Title>
          <Tag color={SCHEME_STATUS_COLORS[scheme.status]} icon={locked ? <LockOutlined /> : undefined} data-testid="scheme-status">
            {s.statuses[scheme.status]}
          </Tag>
          {canApprove && !locked ? (
            <Button type="primary" icon={<SendOutlined />} style={{ marginLeft: 'auto' }} onClick={publish} data-testid="publish-scheme">
              {s.publish}
            </Button>
          ) : null}
        </div>
        {locked ? <Alert type="info" showIcon title={s.lockedHint} style={{ marginBottom: 12 }} /> : null}
        <Summary scheme={scheme} orgName={orgNames[scheme.org_id] ?? empty} />
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          destroyOnHidden
          onChange={(key) => {
            const next = new URLSearchParams(params);
            next.set('tab', key);
            setParams(next, { replace: true });
          }}
          items={TABS.map((key) => ({ key, label: s.tabs[key], children: tabBody(key) }))}
          style={{ marginTop: -12 }}
        />
      </Card>
    </Space>
  );
}
