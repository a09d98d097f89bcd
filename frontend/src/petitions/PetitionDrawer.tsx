import { Alert, Button, Descriptions, Drawer, Grid, Result, Skeleton, Space, Tag, Typography, type DescriptionsProps } from 'antd';
import { useState } from 'react';
import { getPetition, type PetitionRead } from '../api';
import { useCan } from '../auth/permissions';
import { useMemberNames, useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { DeadlineCell } from './DeadlineCell';
import { actionsFor, KIND_COLORS, STATE_COLORS, type PetitionAction } from './labels';
import { PetitionActionDialog } from './PetitionActionDialog';

const p = t.petitions;
const f = p.fields;
const empty = t.common.empty;

interface Loaded {
  item: PetitionRead;
  etag: string | null;
}

const paragraph = (value: string) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{value}</Typography.Paragraph>;

function details(item: PetitionRead, names: { orgs: Record<number, string>; members: Record<number, string> }, asFiler: boolean, now: Date): DescriptionsProps['items'] {
  const optional = (key: string, label: string, value: React.ReactNode, when: unknown) => (when ? [{ key, label, children: value }] : []);
  const org = (id: number) => names.orgs[id] ?? `#${String(id)}`;
  const member = (id: number) => (names.members[id] ? `${names.members[id]}（#${String(id)}）` : `#${String(id)}`);
  return [
    { key: 'kind', label: f.kind, children: <Tag color={KIND_COLORS[item.kind]}>{p.kinds[item.kind]}</Tag> },
    { key: 'filedAt', label: f.filedAt, children: formatDateTime(item.filed_at) },
    ...optional('filer', f.filer, item.filer_name, !asFiler),
    ...optional('phone', f.phone, <span className="mono">{item.contact_phone}</span>, item.contact_phone),
    ...optional('subject', f.subject, `${item.subject_kind ? p.subjectKinds[item.subject_kind] : ''} #${String(item.subject_id)}`, item.subject_id !== null),
    ...optional('member', f.concernedMember, item.concerned_member_id !== null ? member(item.concerned_member_id) : empty, item.concerned_member_id !== null),
    { key: 'org', label: f.concernedOrg, children: org(item.concerned_org_id) },
    { key: 'handling', label: f.handlingOrg, children: org(item.handling_org_id) },
    { key: 'deadline', label: f.deadline, children: <DeadlineCell item={item} now={now} /> },
    { key: 'content', label: f.content, span: 'filled', children: paragraph(item.content) },
    ...optional('rejection', f.rejectionReason, paragraph(item.rejection_reason ?? ''), item.rejection_reason),
    ...optional('answeredAt', f.answeredAt, item.answered_at ? formatDateTime(item.answered_at) : empty, item.answered_at),
    ...optional('answer', f.answer, <div data-testid="petition-answer">{paragraph(item.answer ?? '')}</div>, item.answer),
    ...optional('closedAt', f.closedAt, item.closed_at ? formatDateTime(item.closed_at) : empty, item.closed_at),
  ];
}

interface Props {
  id: number;
  /** The filer's own view (close once answered) or the handler's (accept, reject, answer, close). */
  asFiler: boolean;
  onClose: () => void;
  /** A step changed the petition: the list behind should reload. */
  onChanged: () => void;
}

/** One petition with the steps the caller may take now, each guarded by its ETag. */
export function PetitionDrawer({ id, asFiler, onClose, onChanged }: Props) {
  const screens = Grid.useBreakpoint();
  const [acting, setActing] = useState<PetitionAction | null>(null);
  const [now, setNow] = useState(() => new Date());
  const loaded = useLoader<Loaded>(
    () => getPetition({ path: { petition_id: id } }).then(({ data, response }) => ({ item: data, etag: response.headers.get('ETag') })),
    String(id),
  );
  const item = loaded.data?.item;
  const orgNames = useOrgNames(item ? [item.concerned_org_id, item.handling_org_id] : []);
  // Only a reader of members may look the reported member up; the filer sees the number they gave.
  const canReadMembers = useCan('members:read');
  const memberNames = useMemberNames(canReadMembers && item ? [item.concerned_member_id] : []);

  const reload = () => {
    setNow(new Date());
    loaded.reload();
  };

  let body: React.ReactNode;
  if (loaded.error) {
    body =
      loaded.error instanceof ApiError && loaded.error.status === 404 ? (
        <Result status="404" title={t.common.notFound} />
      ) : (
        <Alert type="error" showIcon title={errorMessage(loaded.error)} />
      );
  } else if (!loaded.data || !item) {
    body = <Skeleton active />;
  } else {
    const offered = actionsFor(item, asFiler);
    body = (
      <>
        <Space size={8} wrap style={{ marginBottom: 12 }}>
          <Tag color={STATE_COLORS[item.state]} data-testid="petition-state">
            {p.states[item.state]}
          </Tag>
          {item.overdue ? <Tag color="red">{p.overdueTag}</Tag> : null}
        </Space>
        {offered.length ? (
          <Space wrap size={8} style={{ marginBottom: 16 }} data-testid="petition-actions">
            {offered.map((action, index) => (
              <Button
                key={action}
                type={index === 0 ? 'primary' : 'default'}
                danger={action === 'reject'}
                onClick={() => {
                  setActing(action);
                }}
              >
                {p.actions[action]}
              </Button>
            ))}
          </Space>
        ) : null}
        <Descriptions size="small" bordered column={screens.md ? 2 : 1} items={details(item, { orgs: orgNames, members: memberNames }, asFiler, now)} />
        {acting ? (
          <PetitionActionDialog
            action={acting}
            item={item}
            etag={loaded.data.etag}
            asFiler={asFiler}
            onClose={() => {
              setActing(null);
            }}
            onDone={() => {
              setActing(null);
              reload();
              onChanged();
            }}
            onStale={reload}
          />
        ) : null}
      </>
    );
  }

  return (
    <Drawer open title={item ? `${p.detailTitle(id)} · ${item.title}` : p.detailTitle(id)} size={screens.md ? 720 : '100%'} onClose={onClose} destroyOnHidden>
      {body}
    </Drawer>
  );
}
