import { LockOutlined } from '@ant-design/icons';
import { Descriptions, Space, Tooltip, type DescriptionsProps } from 'antd';
import type { MemberRead } from '../api';
import { t } from '../i18n';
import { formatOptionalDate } from '../lib/format';

const f = t.member.fields;
const empty = t.common.empty;

function Masked({ value, masked }: { value: string | null; masked: boolean }) {
  if (value === null) return empty;
  return (
    <Space size={4}>
      <span className="mono">{value}</span>
      {masked ? (
        <Tooltip title={t.member.maskedHint}>
          <LockOutlined aria-label={t.member.maskedHint} style={{ color: 'rgba(0,0,0,0.45)' }} />
        </Tooltip>
      ) : null}
    </Space>
  );
}

function record(member: MemberRead): DescriptionsProps['items'] {
  const date = (value: string | null) => formatOptionalDate(value, empty);
  return [
    { key: 'name', label: f.name, children: member.name },
    { key: 'gender', label: f.gender, children: t.member.genders[member.gender] },
    { key: 'ethnicity', label: f.ethnicity, children: member.ethnicity },
    { key: 'birth', label: f.birthDate, children: `${date(member.birth_date)}${member.age === null ? '' : `（${member.age}）`}` },
    { key: 'id', label: f.idNumber, children: <Masked value={member.id_number} masked={member.id_number_masked} /> },
    { key: 'phone', label: f.phone, children: <Masked value={member.phone} masked={member.id_number_masked} /> },
    { key: 'education', label: f.education, children: member.education ? t.member.educations[member.education] : empty },
    { key: 'occupation', label: f.occupation, children: member.occupation ?? empty },
    { key: 'category', label: f.category, children: t.member.categories[member.category] },
    { key: 'org', label: f.org, children: member.org_name },
    { key: 'applied', label: f.appliedOn, children: date(member.applied_on) },
    { key: 'activist', label: f.activistOn, children: date(member.activist_on) },
    { key: 'candidate', label: f.candidateOn, children: date(member.candidate_on) },
    { key: 'probationary', label: f.probationaryOn, children: date(member.probationary_on) },
    { key: 'full', label: f.fullMemberOn, children: date(member.full_member_on) },
    ...(member.left_on
      ? [
          { key: 'left', label: f.leftOn, children: date(member.left_on) },
          { key: 'leftReason', label: f.leftReason, children: member.left_reason ?? empty },
        ]
      : []),
  ];
}

/** A member's record as the API gives it to the caller (ID number and phone masked unless the caller holds `pii`). */
export function MemberRecord({ member }: { member: MemberRead }) {
  return <Descriptions items={record(member)} column={{ xs: 1, sm: 2, xl: 3 }} bordered size="small" />;
}
