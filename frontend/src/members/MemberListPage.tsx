import { ReloadOutlined, SearchOutlined, SettingOutlined, TeamOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Col, Form, Input, InputNumber, Popover, Row, Select, Space, Table, Tag, type TableProps } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { listMembers, type MemberRead, type MemberSort, type PageMemberRead } from '../api';
import { OrgPicker } from '../components/OrgPicker';
import { Pager } from '../components/Pager';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { formatOptionalDate } from '../lib/format';
import { useKeyset } from '../lib/useKeyset';
import { useLoader } from '../lib/useLoader';
import { DueCard } from './DueCard';
import { loadColumns, MEMBER_COLUMNS, saveColumns, type MemberColumn } from './columnPrefs';
import { optionsOf, STAGE_COLORS } from './labels';
import { filtersFromParams, filtersToParams, toQuery, type MemberFilters } from './memberQuery';

const f = t.member.fields;

/** Column keys the server can sort by, and the sort each one asks for. */
const SORTS: Partial<Record<string, MemberSort>> = { name: 'name', age: 'birth_date', birthDate: 'birth_date', probationaryOn: 'probationary_on' };

const COLUMN_TITLES: Record<MemberColumn, string> = {
  gender: f.gender,
  age: f.age,
  birthDate: f.birthDate,
  ethnicity: f.ethnicity,
  idNumber: f.idNumber,
  phone: f.phone,
  education: f.education,
  occupation: f.occupation,
  category: f.category,
  stage: f.stage,
  probationaryOn: f.probationaryOn,
  org: f.org,
  status: f.status,
};

const empty = t.common.empty;

function cell(column: MemberColumn, member: MemberRead): React.ReactNode {
  switch (column) {
    case 'gender':
      return t.member.genders[member.gender];
    case 'age':
      return member.age ?? empty;
    case 'birthDate':
      return formatOptionalDate(member.birth_date, empty);
    case 'ethnicity':
      return member.ethnicity;
    case 'idNumber':
      return <span className="mono">{member.id_number ?? empty}</span>;
    case 'phone':
      return <span className="mono">{member.phone ?? empty}</span>;
    case 'education':
      return member.education ? t.member.educations[member.education] : empty;
    case 'occupation':
      return member.occupation ?? empty;
    case 'category':
      return t.member.categories[member.category];
    case 'stage':
      return <Tag color={STAGE_COLORS[member.stage]}>{t.member.stages[member.stage]}</Tag>;
    case 'probationaryOn':
      return formatOptionalDate(member.probationary_on, empty);
    case 'org':
      return member.org_name;
    case 'status':
      return t.member.statuses[member.status];
  }
}

function sortOrder(key: string, filters: MemberFilters): 'ascend' | 'descend' | null {
  const sort = SORTS[key];
  if (!sort || (filters.sort ?? 'id') !== sort) return null;
  // Age runs the other way from the birth date it sorts by.
  const ascending = key === 'age' ? filters.desc : !filters.desc;
  return ascending ? 'ascend' : 'descend';
}

/** The member roll: filters in the address bar, keyset pages from the server, a remembered column choice. */
export function MemberListPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const [columns, setColumns] = useState<MemberColumn[]>(loadColumns);
  const [pageSize, setPageSize] = useState(50);
  const queryKey = `${filtersToParams(filters).toString()}|${pageSize}`;
  const keyset = useKeyset(queryKey);
  const cursor = keyset.cursor;

  const page = useLoader<PageMemberRead>(
    () => listMembers({ query: toQuery(filters, pageSize, cursor) }).then(({ data }) => data),
    `${queryKey}|${cursor ?? ''}`,
  );

  const apply = (next: MemberFilters) => {
    setParams(filtersToParams(next));
  };

  const chooseColumns = (next: MemberColumn[]) => {
    const ordered = MEMBER_COLUMNS.filter((column) => next.includes(column));
    setColumns(ordered);
    saveColumns(ordered);
  };

  const tableColumns: TableProps<MemberRead>['columns'] = [
    {
      key: 'name',
      title: f.name,
      fixed: 'left',
      width: 120,
      sorter: true,
      sortOrder: sortOrder('name', filters),
      render: (_, member) => <Link to={`/members/${member.id}`}>{member.name}</Link>,
    },
    ...columns.map((column) => ({
      key: column,
      title: COLUMN_TITLES[column],
      sorter: SORTS[column] !== undefined,
      sortOrder: sortOrder(column, filters),
      render: (_: unknown, member: MemberRead) => cell(column, member),
    })),
  ];

  const onTableChange: TableProps<MemberRead>['onChange'] = (_pagination, _filters, sorter) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const key = typeof one?.columnKey === 'string' ? one.columnKey : undefined;
    const sort = key ? SORTS[key] : undefined;
    if (!one?.order || !sort || !key) {
      apply({ ...filters, sort: undefined, desc: undefined });
      return;
    }
    const ascending = one.order === 'ascend';
    apply({ ...filters, sort, desc: (key === 'age' ? ascending : !ascending) || undefined });
  };

  const items = page.data?.items ?? [];
  const nextCursor = page.data?.next_cursor ?? null;

  return (
    <>
      <DueCard orgId={filters.org} />
      <Card
        title={
          <Space>
            <TeamOutlined style={{ color: 'var(--ant-color-primary)' }} />
            {t.member.listTitle}
          </Space>
        }
        extra={
          <Popover
            trigger="click"
            placement="bottomRight"
            title={t.member.columns}
            content={
              <Checkbox.Group
                value={columns}
                onChange={(next) => {
                  chooseColumns(next);
                }}
                style={{ display: 'grid', gap: 6 }}
                options={MEMBER_COLUMNS.map((column) => ({ value: column, label: COLUMN_TITLES[column] }))}
              />
            }
          >
            <Button icon={<SettingOutlined />}>{t.member.columns}</Button>
          </Popover>
        }
      >
        <FilterForm key={params.toString()} filters={filters} onApply={apply} />
        {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} style={{ marginBottom: 16 }} /> : null}
        <div data-testid="member-table">
          <Table<MemberRead>
            rowKey="id"
            size="middle"
            columns={tableColumns}
            dataSource={items}
            loading={page.loading}
            pagination={false}
            onChange={onTableChange}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t.member.noMatch }}
          />
        </div>
        <Pager
          keyset={keyset}
          nextCursor={nextCursor}
          loading={page.loading}
          pageSize={pageSize}
          onPageSize={setPageSize}
          info={`${t.member.total(items.length)} · ${t.member.maskedHint}`}
        />
      </Card>
    </>
  );
}

interface FilterValues {
  org?: number | null;
  q?: string;
  category?: MemberFilters['category'];
  stage?: MemberFilters['stage'];
  gender?: MemberFilters['gender'];
  education?: MemberFilters['education'];
  status?: MemberFilters['status'];
  ageMin?: number | null;
  ageMax?: number | null;
  joinYear?: number | null;
}

function FilterForm({ filters, onApply }: { filters: MemberFilters; onApply: (filters: MemberFilters) => void }) {
  const fl = t.member.filters;
  const submit = (values: FilterValues) => {
    onApply({
      ...filters,
      org: values.org ?? undefined,
      q: values.q,
      category: values.category,
      stage: values.stage,
      gender: values.gender,
      education: values.education,
      status: values.status,
      ageMin: values.ageMin ?? undefined,
      ageMax: values.ageMax ?? undefined,
      joinYear: values.joinYear ?? undefined,
    });
  };
  const select = (name: keyof FilterValues, label: string, options: { value: string; label: string }[]) => (
    <Col xs={12} md={8} xl={4}>
      <Form.Item name={name} label={label}>
        <Select allowClear placeholder={t.common.all} options={options} />
      </Form.Item>
    </Col>
  );
  return (
    <Form<FilterValues> layout="vertical" initialValues={filters} onFinish={submit} className="filter-form">
      <Row gutter={12}>
        <Col xs={24} md={12} xl={8}>
          <Form.Item name="q" label={t.common.search}>
            <Input allowClear prefix={<SearchOutlined />} placeholder={t.member.searchPlaceholder} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Form.Item name="org" label={t.member.org}>
            <OrgPicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        {select('stage', fl.stage, optionsOf(t.member.stages))}
        {select('category', fl.category, optionsOf(t.member.categories))}
        {select('gender', fl.gender, optionsOf(t.member.genders))}
        {select('education', fl.education, optionsOf(t.member.educations))}
        {select('status', fl.status, optionsOf(t.member.statuses))}
        <Col xs={12} md={8} xl={4}>
          <Form.Item name="ageMin" label={fl.ageMin}>
            <InputNumber min={0} max={130} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Form.Item name="ageMax" label={fl.ageMax}>
            <InputNumber min={0} max={130} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Form.Item name="joinYear" label={fl.joinYear}>
            <InputNumber min={1921} max={2100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16} xl={8} style={{ display: 'flex', alignItems: 'flex-end' }}>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t.common.search}
              </Button>
              <Button
                icon={<ReloadOutlined />}
                onClick={() => {
                  onApply({ org: filters.org });
                }}
              >
                {t.common.reset}
              </Button>
            </Space>
          </Form.Item>
        </Col>
      </Row>
    </Form>
  );
}
