import { AuditOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Select, Space } from 'antd';
import { useState } from 'react';
import { listPetitions, type PetitionKind, type PetitionRead, type PetitionState } from '../api';
import { PagedTable } from '../components/PagedTable';
import { useOrgNames } from '../components/useNames';
import { t } from '../i18n';
import { usePaged } from '../lib/usePaged';
import { optionsOf } from '../members/labels';
import { petitionColumns } from './columns';
import { PetitionDrawer } from './PetitionDrawer';

const p = t.petitions;

interface Filters {
  state?: PetitionState;
  kind?: PetitionKind;
  overdue?: boolean;
}

/** 申诉检举办理: the petitions handled in the caller's subtree, filtered by state, kind and deadline, overdue ones marked. */
export function PetitionsPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [openId, setOpenId] = useState<number | null>(null);
  const [now, setNow] = useState(() => new Date());
  const paged = usePaged<PetitionRead>(
    (limit, cursor) => listPetitions({ query: { ...filters, limit, cursor } }).then(({ data }) => data),
    JSON.stringify(filters),
  );
  const orgNames = useOrgNames(paged.items.map((item) => item.concerned_org_id));
  const apply = (changes: Filters) => {
    setFilters((current) => ({ ...current, ...changes }));
  };
  const reload = () => {
    setNow(new Date());
    paged.page.reload();
  };
  const columns = petitionColumns(setOpenId, now, orgNames);
  columns.splice(5, 0, { key: 'filer', title: p.fields.filer, render: (_, item) => item.filer_name });

  return (
    <Card
      title={
        <Space>
          <AuditOutlined style={{ color: 'var(--ant-color-primary)' }} />
          {p.boardTitle}
        </Space>
      }
    >
      <Space wrap size={12} style={{ marginBottom: 16 }}>
        <Select<PetitionState>
          aria-label={p.filters.state}
          placeholder={p.filters.state}
          allowClear
          value={filters.state}
          onChange={(state: PetitionState | undefined) => {
            apply({ state });
          }}
          options={optionsOf(p.states)}
          style={{ width: 130 }}
        />
        <Select<PetitionKind>
          aria-label={p.filters.kind}
          placeholder={p.filters.kind}
          allowClear
          value={filters.kind}
          onChange={(kind: PetitionKind | undefined) => {
            apply({ kind });
          }}
          options={optionsOf(p.kinds)}
          style={{ width: 130 }}
        />
        <Select<'yes' | 'no'>
          aria-label={p.filters.overdue}
          placeholder={p.filters.overdue}
          allowClear
          value={filters.overdue === undefined ? undefined : filters.overdue ? 'yes' : 'no'}
          onChange={(value: 'yes' | 'no' | undefined) => {
            apply({ overdue: value === undefined ? undefined : value === 'yes' });
          }}
          options={optionsOf(p.overdueOnly)}
          style={{ width: 130 }}
        />
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            setFilters({});
          }}
        >
          {t.common.reset}
        </Button>
      </Space>
      <PagedTable<PetitionRead>
        paged={paged}
        columns={columns}
        rowKey="id"
        emptyText={p.noItems}
        testId="petition-table"
        rowClassName={(item) => (item.overdue ? 'row-overdue' : '')}
        info={p.total(paged.items.length)}
      />
      {openId ? (
        <PetitionDrawer
          key={openId}
          id={openId}
          asFiler={false}
          onClose={() => {
            setOpenId(null);
          }}
          onChanged={reload}
        />
      ) : null}
    </Card>
  );
}
