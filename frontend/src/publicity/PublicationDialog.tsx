import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { createPublication, updatePublication, type PublicationKind, type PublicationRead } from '../api';
import { FormDialog } from '../components/FormDialog';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { pickerToday } from '../lib/dates';
import { optionsOf } from '../members/labels';
import { GRADES } from '../scoring/grades';
import { etagOf, KINDS } from './labels';
import { MemberSelect } from './MemberSelect';
import { KIND_FIELDS, toCreateBody, toUpdateBody, type PublicationValues } from './publicationBody';

const p = t.publicity;
const f = p.fields;
const required = [{ required: true, message: p.required }];
const text = [{ required: true, whitespace: true, message: p.required }];

// Problems that belong to one field though the API names none.
const CODE_FIELDS = { member_not_under_notice: 'member_id', ends_before_start: 'ends_on' } as const;

function initialValues(item: PublicationRead | undefined, orgId: number | undefined): PublicationValues {
  if (!item) {
    const today = pickerToday();
    return { org_id: orgId ?? null, kind: 'meeting_resolution', audience: 'members', starts_on: today, ends_on: today.add(6, 'day'), year: today.year() };
  }
  return {
    org_id: item.org_id,
    kind: item.kind,
    audience: item.audience,
    title: item.title,
    body: item.body ?? undefined,
    starts_on: dayjs(item.starts_on),
    ends_on: dayjs(item.ends_on),
    meeting_on: item.meeting_on ? dayjs(item.meeting_on) : null,
    member_id: item.member_id,
    year: item.year,
    grades: item.grades ?? undefined,
    pledges: item.pledges ?? undefined,
    totals: item.totals
      ? {
          collected: Number(item.totals.collected),
          remitted: Number(item.totals.remitted),
          spent: Number(item.totals.spent),
          balance: Number(item.totals.balance),
        }
      : undefined,
  };
}

/** The names of a saved draft's members, from its rendered view (its lists are in the order entered). */
function knownNames(item: PublicationRead): Record<number, string> {
  const names: Record<number, string> = {};
  if (item.member_id && item.view.candidate) names[item.member_id] = item.view.candidate.name;
  // The view leaves out a member it cannot find: pair by position only when nothing was left out.
  const grades = item.grades?.length === item.view.grades?.length ? item.grades : null;
  const pledges = item.pledges?.length === item.view.pledges?.length ? item.pledges : null;
  grades?.forEach((row, i) => {
    const name = item.view.grades?.[i]?.name;
    if (name) names[row.member_id] = name;
  });
  pledges?.forEach((row, i) => {
    const name = item.view.pledges?.[i]?.name;
    if (name) names[row.member_id] = name;
  });
  return names;
}

function Money({ name, label }: { name: string; label: string }) {
  return (
    <Form.Item name={['totals', name]} label={label} rules={required} style={{ marginBottom: 8 }}>
      <InputNumber min={0} precision={2} step={10} prefix="¥" style={{ width: 150 }} />
    </Form.Item>
  );
}

/** The fields of one kind, exactly its allow-list: nothing of another kind is offered. */
function KindFields({ kind, orgId, known }: { kind: PublicationKind; orgId: number | null; known: Readonly<Record<number, string>> }) {
  const fields = KIND_FIELDS[kind];
  return (
    <>
      {fields.includes('meeting_on') ? (
        <Form.Item name="meeting_on" label={f.meetingOn} rules={required}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      ) : null}
      {fields.includes('member_id') ? (
        <Form.Item name="member_id" label={f.member} rules={required} extra={p.memberHint}>
          <MemberSelect orgId={orgId} known={known} aria-label={f.member} />
        </Form.Item>
      ) : null}
      {fields.includes('year') ? (
        <Form.Item name="year" label={f.year} rules={required}>
          <InputNumber min={1921} max={2200} precision={0} style={{ width: 120 }} />
        </Form.Item>
      ) : null}
      {fields.includes('grades') ? (
        <Form.Item label={f.grades} required>
          <Form.List name="grades" initialValue={[{}]}>
            {(rows, { add, remove }) => (
              <>
                {rows.map((row) => (
                  <Space key={row.key} align="baseline" wrap>
                    <Form.Item name={[row.name, 'member_id']} rules={required} style={{ minWidth: 220 }}>
                      <MemberSelect orgId={orgId} known={known} aria-label={f.member} />
                    </Form.Item>
                    <Form.Item name={[row.name, 'grade']} rules={required}>
                      <Select aria-label={f.grade} style={{ width: 120 }} options={GRADES.map((grade) => ({ value: grade, label: t.scoring.grades[grade] }))} />
                    </Form.Item>
                    {rows.length > 1 ? <MinusCircleOutlined aria-label={p.removeRow} onClick={() => { remove(row.name); }} /> : null}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => { add({}); }}>
                  {p.addRow}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
      ) : null}
      {fields.includes('pledges') ? (
        <Form.Item label={f.pledges} required>
          <Form.List name="pledges" initialValue={[{ kept: false }]}>
            {(rows, { add, remove }) => (
              <>
                {rows.map((row) => (
                  <Space key={row.key} align="baseline" wrap>
                    <Form.Item name={[row.name, 'member_id']} rules={required} style={{ minWidth: 200 }}>
                      <MemberSelect orgId={orgId} known={known} aria-label={f.member} />
                    </Form.Item>
                    <Form.Item name={[row.name, 'pledge']} rules={text}>
                      <Input aria-label={f.pledge} placeholder={f.pledge} maxLength={500} />
                    </Form.Item>
                    <Form.Item name={[row.name, 'kept']} valuePropName="checked">
                      <Checkbox>{f.kept}</Checkbox>
                    </Form.Item>
                    {rows.length > 1 ? <MinusCircleOutlined aria-label={p.removeRow} onClick={() => { remove(row.name); }} /> : null}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => { add({ kept: false }); }}>
                  {p.addRow}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
      ) : null}
      {fields.includes('totals') ? (
        <Form.Item label={f.totals} required>
          <Space wrap size={12}>
            <Money name="collected" label={f.collected} />
            <Money name="remitted" label={f.remitted} />
            <Money name="spent" label={f.spent} />
            <Money name="balance" label={f.balance} />
          </Space>
        </Form.Item>
      ) : null}
    </>
  );
}

interface Props {
  /** The draft to edit; a new draft when absent. */
  item?: PublicationRead;
  /** The organisation chosen on the page, proposed for a new draft. */
  orgId?: number;
  onClose: () => void;
  onDone: () => void;
  onStale?: () => void;
}

/** A draft of 党务公开: the common fields and only those its kind may publish. */
export function PublicationDialog({ item, orgId, onClose, onDone, onStale }: Props) {
  return (
    <FormDialog<PublicationValues>
      title={item ? p.editTitle(item.title) : p.create}
      initialValues={initialValues(item, orgId)}
      successMessage={item ? p.saved : p.created}
      staleMessage={p.staleReloaded}
      codeFields={CODE_FIELDS}
      onClose={onClose}
      onDone={onDone}
      onStale={onStale}
      submit={(values) =>
        item
          ? updatePublication({ path: { publication_id: item.id }, headers: { 'if-match': etagOf(item.version) }, body: toUpdateBody(item.kind, values) })
          : createPublication({ body: toCreateBody(values) })
      }
    >
      {() => <DialogFields editing={Boolean(item)} known={item ? knownNames(item) : {}} />}
    </FormDialog>
  );
}

function DialogFields({ editing, known }: { editing: boolean; known: Readonly<Record<number, string>> }) {
  const form = Form.useFormInstance<PublicationValues>();
  const kind = Form.useWatch('kind', form) ?? 'meeting_resolution';
  const orgId = Form.useWatch('org_id', form) ?? null;
  return (
    <>
      {editing ? (
        <Form.Item name="org_id" hidden>
          <InputNumber />
        </Form.Item>
      ) : (
        <Form.Item name="org_id" label={f.org} rules={required}>
          <OrgPicker allowClear={false} style={{ width: '100%' }} aria-label={f.org} />
        </Form.Item>
      )}
      <Form.Item name="kind" label={f.kind} rules={required}>
        <Select aria-label={f.kind} disabled={editing} options={KINDS.map((value) => ({ value, label: p.kinds[value] }))} />
      </Form.Item>
      <Alert type="info" showIcon title={p.kindHints[kind]} style={{ marginBottom: 16 }} />
      <Form.Item name="audience" label={f.audience} rules={required}>
        <Radio.Group options={optionsOf(p.audiences)} />
      </Form.Item>
      <Form.Item name="title" label={f.title} rules={text}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="body" label={f.body}>
        <Input.TextArea rows={4} maxLength={5000} showCount />
      </Form.Item>
      <Space wrap size={12}>
        <Form.Item name="starts_on" label={f.startsOn} rules={required}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="ends_on" label={f.endsOn} rules={required}>
          <DatePicker />
        </Form.Item>
      </Space>
      <KindFields kind={kind} orgId={orgId} known={known} />
    </>
  );
}
