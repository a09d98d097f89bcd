import { Alert, Button, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { filePetition, getScoringResult, listMembers, type MemberRead, type PetitionKind, type ResultRead, type SubjectKind } from '../api';
import { useCan } from '../auth/permissions';
import { FormDialog } from '../components/FormDialog';
import { OrgPicker } from '../components/OrgPicker';
import { t } from '../i18n';
import { useLoader } from '../lib/useLoader';
import { optionsOf } from '../members/labels';
import { fileBody, type FileValues } from './petitionBody';

const p = t.petitions;
const f = p.fields;
const ff = p.form;
const required = [{ required: true, message: ff.required }];
const text = [{ required: true, whitespace: true, message: ff.required }, { min: 2, message: ff.tooShort }];

/** Problems about the decision or the person named belong under that field. */
const CODE_FIELDS = {
  not_the_subject: 'subject_id',
  decision_not_final: 'subject_id',
  cannot_report_self: 'concerned_member_id',
} as const;

/** The member's own latest published grade, with a button that names it as the decision appealed. */
function MyGrade({ memberId }: { memberId: number }) {
  const form = Form.useFormInstance<FileValues>();
  const loaded = useLoader<ResultRead | null>(
    () => getScoringResult({ path: { member_id: memberId } }).then(({ data }) => data, () => null),
    String(memberId),
  );
  if (loaded.loading) return null;
  const result = loaded.data;
  return (
    <Typography.Paragraph type="secondary" data-testid="my-grade" style={{ marginTop: -8 }}>
      {result?.grade ? (
        <>
          {ff.myGrade(result.scheme_id, t.scoring.grades[result.grade])}{' '}
          <Button type="link" size="small" onClick={() => { form.setFieldValue('subject_id', result.id); }}>
            {ff.appealThisGrade(result.id)}
          </Button>
        </>
      ) : (
        ff.noGrade
      )}
    </Typography.Paragraph>
  );
}

/** A member found by name on the server, for callers who may read members; others type the record number. */
function MemberSelect({ id, value, onChange }: { id?: string; value?: number | null; onChange?: (value: number | null) => void }) {
  const canRead = useCan('members:read');
  const [query, setQuery] = useState('');
  const found = useLoader<MemberRead[]>(
    () => (canRead ? listMembers({ query: { q: query.trim() || undefined, limit: 20 } }).then(({ data }) => data.items) : Promise.resolve([])),
    `${String(canRead)}|${query}`,
  );
  if (!canRead) {
    return <InputNumber id={id} min={1} precision={0} prefix="#" value={value ?? null} onChange={(next) => onChange?.(next ?? null)} style={{ width: 200 }} />;
  }
  return (
    <Select<number>
      id={id}
      value={value ?? undefined}
      onChange={(next: number | undefined) => onChange?.(next ?? null)}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      loading={found.loading}
      options={(found.data ?? []).map((member) => ({ value: member.id, label: `${member.name}（${member.org_name}）` }))}
    />
  );
}

function KindFields({ memberId }: { memberId: number }) {
  const form = Form.useFormInstance<FileValues>();
  const kind = Form.useWatch('kind', form);
  const target = Form.useWatch('target', form);
  const subjectKind = Form.useWatch('subject_kind', form);
  if (kind === 'appeal') {
    return (
      <>
        <Form.Item name="subject_kind" label={f.subjectKind} rules={required}>
          <Select<SubjectKind> options={optionsOf(p.subjectKinds)} />
        </Form.Item>
        {subjectKind === 'evaluation_result' ? <MyGrade memberId={memberId} /> : null}
        <Form.Item name="subject_id" label={f.subjectId} rules={required} extra={ff.subjectIdHint}>
          <InputNumber min={1} precision={0} prefix="#" style={{ width: 200 }} />
        </Form.Item>
      </>
    );
  }
  if (kind === 'report') {
    return (
      <>
        <Form.Item name="target" label={f.reportTarget} rules={required}>
          <Radio.Group options={optionsOf(p.targets)} />
        </Form.Item>
        {target === 'member' ? (
          <Form.Item name="concerned_member_id" label={f.concernedMember} rules={required} extra={ff.memberIdHint}>
            <MemberSelect />
          </Form.Item>
        ) : (
          <Form.Item name="concerned_org_id" label={f.concernedOrg} rules={required}>
            <OrgPicker aria-label={f.concernedOrg} allowClear={false} style={{ width: '100%' }} />
          </Form.Item>
        )}
      </>
    );
  }
  return (
    <Form.Item name="concerned_org_id" label={f.concernedOrg} rules={required}>
      <OrgPicker aria-label={f.concernedOrg} allowClear={false} style={{ width: '100%' }} />
    </Form.Item>
  );
}

function KindHint() {
  const kind = Form.useWatch<PetitionKind | undefined>('kind');
  return kind ? <Typography.Paragraph type="secondary">{p.kindHints[kind]}</Typography.Paragraph> : null;
}

interface Props {
  memberId: number;
  onClose: () => void;
  onDone: () => void;
}

/** Files an appeal, a report or a criticism as the signed-in member; says up front who handles it and that reports stay confidential. */
export function FileDialog({ memberId, onClose, onDone }: Props) {
  return (
    <FormDialog<FileValues>
      title={p.file}
      initialValues={{ kind: 'criticism', subject_kind: 'evaluation_result', target: 'member' }}
      submit={(values) => filePetition({ body: fileBody(values) })}
      successMessage={p.filed}
      codeFields={CODE_FIELDS}
      onClose={onClose}
      onDone={onDone}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="petition-confidential"
        title={
          <Space orientation="vertical" size={0}>
            <span>{ff.routing}</span>
            <strong>{ff.confidential}</strong>
          </Space>
        }
      />
      <Form.Item name="kind" label={f.kind} rules={required}>
        <Radio.Group optionType="button" options={optionsOf(p.kinds)} />
      </Form.Item>
      <KindHint />
      <KindFields memberId={memberId} />
      <Form.Item name="title" label={f.title} rules={text}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="content" label={f.content} rules={text}>
        <Input.TextArea rows={5} maxLength={4000} showCount />
      </Form.Item>
      <Form.Item name="contact_phone" label={f.phone} extra={ff.phoneHint} rules={[{ pattern: /^[0-9+\- ]{5,20}$/, message: ff.phoneInvalid }]}>
        <Input maxLength={20} inputMode="tel" />
      </Form.Item>
    </FormDialog>
  );
}
