import { FlagOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Result, Space } from 'antd';
import { useState } from 'react';
import { listMyPetitions, type PetitionRead } from '../api';
import { useAuth } from '../auth/authContext';
import { PagedTable } from '../components/PagedTable';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { usePaged } from '../lib/usePaged';
import { petitionColumns } from './columns';
import { FileDialog } from './FileDialog';
import { PetitionDrawer } from './PetitionDrawer';

const p = t.petitions;

/** A member's own appeals, reports and criticisms (我的申诉检举): file one, follow its state and deadline, read the answer, close it. */
export function MyPetitionsPage() {
  const { user } = useAuth();
  const memberId = user?.member_id ?? null;
  const [filing, setFiling] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const [now, setNow] = useState(() => new Date());
  const paged = usePaged<PetitionRead>(
    (limit, cursor) => listMyPetitions({ query: { limit, cursor } }).then(({ data }) => data),
    'mine',
  );
  const orgNames = useOrgNames(paged.items.map((item) => item.concerned_org_id));
  const reload = () => {
    setNow(new Date());
    paged.page.reload();
  };

  if (user && memberId === null) {
    return (
      <Card title={p.mineTitle}>
        <Result status="info" title={p.notLinked} />
      </Card>
    );
  }

  return (
    <Card
      title={
        <Space>
          <FlagOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {p.mineTitle}
        </Space>
      }
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          disabled={memberId === null}
          onClick={() => {
            setFiling(true);
          }}
        >
          {p.file}
        </Button>
      }
    >
      <PagedTable<PetitionRead> paged={paged} columns={petitionColumns(setOpenId, now, orgNames)} rowKey="id" emptyText={p.noMine} testId="my-petitions" />
      {filing && memberId !== null ? (
        <FileDialog
          memberId={memberId}
          onClose={() => {
            setFiling(false);
          }}
          onDone={() => {
            setFiling(false);
            reload();
          }}
        />
      ) : null}
      {openId ? (
        <PetitionDrawer
          key={openId}
          id={openId}
          asFiler
          onClose={() => {
            setOpenId(null);
          }}
          onChanged={reload}
        />
      ) : null}
    </Card>
  );
}
