import { Alert, App, Col, DatePicker, Divider, Form, Input, InputNumber, Modal, Radio, Row, Switch } from 'antd';
import { useState } from 'react';
import {
  admitProbationaryMember,
  cancelProbation,
  confirmFullMembership,
  decideDevelopmentApproval,
  extendProbation,
  makeActivist,
  makeCandidate,
  recordApplicationTalk,
  type ActivistCreate,
  type AdmitCreate,
  type ApprovalCreate,
  type CancelCreate,
  type CandidateCreate,
  type ConfirmCreate,
  type ExtendCreate,
  type MemberRead,
  type StepKind,
  type TalkCreate,
} from '../api';
import { MemberPicker } from '../components/MemberPicker';
import { t } from '../i18n';
import { ApiError, errorMessage } from '../lib/apiError';
import { isAfterTodayInChina, pickerToday } from '../lib/dates';
import { showFieldErrors } from '../lib/formErrors';
import { optionsOf } from './labels';
import { serialize, type Values } from './stepBody';

const ff = t.development.form;
const required = [{ required: true, message: ff.required }];

export type DialogKind = StepKind | 'approval';

function DateItem({ name, label, optional = false }: { name: string | string[]; label: string; optional?: boolean }) {
  return (
    <Form.Item name={name} label={label} rules={optional ? [] : required}>
      <DatePicker style={{ width: '100%' }} disabledDate={isAfterTodayInChina} />
    </Form.Item>
  );
}

function VotesFields() {
  const count = (name: string, label: string) => (
    <Col xs={12} sm={8}>
      <Form.Item name={['votes', name]} label={label} rules={required}>
        <InputNumber min={0} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );
  return (
    <>
      <Divider titlePlacement="start" plain>
        {ff.votes}
      </Divider>
      <Row gutter={12}>
        {count('eligible_voters', ff.eligibleVoters)}
        {count('present', ff.present)}
        {count('votes_for', ff.votesFor)}
        {count('votes_against', ff.votesAgainst)}
        {count('abstentions', ff.abstentions)}
      </Row>
    </>
  );
}

/** The superior committee's approval, when it was given before the decision is recorded here. */
function ApprovalFields() {
  return (
    <>
      <Form.Item name="approvalGiven" label={ff.approvalGiven} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.approvalGiven !== b.approvalGiven}>
        {({ getFieldValue }) =>
          getFieldValue('approvalGiven') ? (
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name={['approval', 'approved_by']} label={ff.approvedBy} rules={required}>
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <DateItem name={['approval', 'approved_on']} label={ff.approvedOn} />
              </Col>
            </Row>
          ) : null
        }
      </Form.Item>
    </>
  );
}

function NoteItem() {
  return (
    <Form.Item name="note" label={ff.note}>
      <Input.TextArea rows={2} maxLength={500} showCount />
    </Form.Item>
  );
}

function Fields({ kind, member }: { kind: DialogKind; member: MemberRead }) {
  const decisionBodies = optionsOf(t.development.decisionBodies);
  switch (kind) {
    case 'talk':
      return (
        <>
          <DateItem name="talked_on" label={ff.talkedOn} />
          <Form.Item name="talked_by" label={ff.talkedBy} rules={[{ required: true, whitespace: true, message: ff.required }]}>
            <Input maxLength={50} />
          </Form.Item>
          <NoteItem />
        </>
      );
    case 'activist':
      return (
        <>
          <DateItem name="decided_on" label={ff.decidedOn} />
          <Form.Item name="decided_by" label={ff.decidedBy} rules={required}>
            <Radio.Group options={decisionBodies} />
          </Form.Item>
          <Form.Item name="recommended_by" label={ff.recommendedBy} rules={required}>
            <Radio.Group options={optionsOf(t.development.recommendations)} />
          </Form.Item>
          <Form.Item name="mentor_ids" label={ff.mentors} rules={required}>
            <MemberPicker orgId={member.org_id} excludeId={member.id} maxCount={2} placeholder={ff.pickMembers} />
          </Form.Item>
          <DateItem name="filed_on" label={ff.filedOn} optional />
          <NoteItem />
        </>
      );
    case 'candidate':
      return (
        <>
          <DateItem name="decided_on" label={ff.decidedOn} />
          <Form.Item name="decided_by" label={ff.decidedBy} rules={required}>
            <Radio.Group options={decisionBodies} />
          </Form.Item>
          <DateItem name="filed_on" label={ff.filedOn} optional />
          <NoteItem />
        </>
      );
    case 'admit':
      return (
        <>
          <DateItem name="decided_on" label={ff.meetingOn} />
          <Form.Item
            name="introducer_ids"
            label={ff.introducers}
            rules={[{ required: true, type: 'array', len: 2, message: ff.pickTwo }]}
          >
            <MemberPicker orgId={member.org_id} excludeId={member.id} maxCount={2} placeholder={ff.pickMembers} />
          </Form.Item>
          <Divider titlePlacement="start" plain>
            {ff.politicalReview}
          </Divider>
          <Row gutter={12}>
            <Col xs={12}>
              <Form.Item name={['political_review', 'passed']} label={ff.politicalReviewPassed} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Col>
            <Col xs={12}>
              <DateItem name={['political_review', 'completed_on']} label={ff.completedOn} />
            </Col>
          </Row>
          <Divider titlePlacement="start" plain>
            {ff.training}
          </Divider>
          <Row gutter={12}>
            <Col xs={12} sm={6}>
              <Form.Item name={['training', 'hours']} label={ff.trainingHours}>
                <InputNumber min={0} max={1000} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={['training', 'days']} label={ff.trainingDays}>
                <InputNumber min={0} max={366} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <DateItem name={['training', 'completed_on']} label={ff.completedOn} />
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={['training', 'certificate_no']} label={ff.certificateNo}>
                <Input maxLength={64} />
              </Form.Item>
            </Col>
          </Row>
          <Divider titlePlacement="start" plain>
            {ff.publicNotice}
          </Divider>
          <Row gutter={12}>
            <Col xs={12}>
              <DateItem name={['public_notice', 'starts_on']} label={ff.noticeStarts} />
            </Col>
            <Col xs={12}>
              <DateItem name={['public_notice', 'ends_on']} label={ff.noticeEnds} />
            </Col>
          </Row>
          <DateItem name="pre_reviewed_on" label={ff.preReviewedOn} optional />
          <VotesFields />
          <ApprovalFields />
          <NoteItem />
        </>
      );
    case 'confirm':
      return (
        <>
          <DateItem name="decided_on" label={ff.meetingOn} />
          <VotesFields />
          <ApprovalFields />
          <NoteItem />
        </>
      );
    case 'extend':
      return (
        <>
          <DateItem name="decided_on" label={ff.meetingOn} />
          <Form.Item name="months" label={ff.months} rules={required}>
            <InputNumber min={1} max={12} precision={0} />
          </Form.Item>
          <Form.Item name="reason" label={ff.reason} rules={[{ required: true, min: 2, message: ff.required }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <VotesFields />
          <ApprovalFields />
          <NoteItem />
        </>
      );
    case 'cancel':
      return (
        <>
          <DateItem name="decided_on" label={ff.meetingOn} />
          <Form.Item name="reason" label={ff.reason} rules={[{ required: true, min: 2, message: ff.required }]}>
            <Input.TextArea rows={2} maxLength={180} />
          </Form.Item>
          <VotesFields />
          <ApprovalFields />
          <NoteItem />
        </>
      );
    case 'approval':
      return (
        <>
          <Form.Item name="approved" label={ff.approved} rules={required}>
            <Radio.Group
              options={[
                { value: true, label: ff.approve },
                { value: false, label: ff.refuse },
              ]}
            />
          </Form.Item>
          <Form.Item name="approved_by" label={ff.approvedBy} rules={[{ required: true, whitespace: true, message: ff.required }]}>
            <Input maxLength={100} />
          </Form.Item>
          <DateItem name="approved_on" label={ff.approvedOn} />
          <NoteItem />
        </>
      );
  }
}

function initialValues(kind: DialogKind): Values {
  const today = pickerToday();
  switch (kind) {
    case 'talk':
      return { talked_on: today };
    case 'activist':
    case 'candidate':
      return { decided_on: today, decided_by: 'branch_committee' };
    case 'admit':
      return { decided_on: today, political_review: { passed: true } };
    case 'approval':
      return { approved: true, approved_on: today };
    default:
      return { decided_on: today };
  }
}

/** Sends the step to its endpoint, guarded by the record's ETag. */
async function send(kind: DialogKind, memberId: number, etag: string | null, body: Values): Promise<void> {
  const options = { path: { member_id: memberId }, headers: etag ? { 'if-match': etag } : undefined };
  switch (kind) {
    case 'talk':
      await recordApplicationTalk({ ...options, body: body as unknown as TalkCreate });
      return;
    case 'activist':
      await makeActivist({ ...options, body: body as unknown as ActivistCreate });
      return;
    case 'candidate':
      await makeCandidate({ ...options, body: body as unknown as CandidateCreate });
      return;
    case 'admit':
      await admitProbationaryMember({ ...options, body: body as unknown as AdmitCreate });
      return;
    case 'confirm':
      await confirmFullMembership({ ...options, body: body as unknown as ConfirmCreate });
      return;
    case 'extend':
      await extendProbation({ ...options, body: body as unknown as ExtendCreate });
      return;
    case 'cancel':
      await cancelProbation({ ...options, body: body as unknown as CancelCreate });
      return;
    case 'approval':
      await decideDevelopmentApproval({ ...options, body: body as unknown as ApprovalCreate });
      return;
  }
}

interface Props {
  kind: DialogKind;
  member: MemberRead;
  etag: string | null;
  onClose: () => void;
  onDone: () => void;
  /** The record changed since it was read (412): reload it, so that a retry carries the new ETag. */
  onStale: () => void;
}

/** Records one development step (or the approval of one) for a member, showing the API's refusal in place. */
export function StepDialog({ kind, member, etag, onClose, onDone, onStale }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const title = t.development.steps[kind];

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      await send(kind, member.id, etag, serialize(values));
      void message.success(t.development.done(title));
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
      showFieldErrors(form, caught);
      if (caught instanceof ApiError && caught.status === 412) onStale();
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={`${title} · ${member.name}`}
      okText={t.common.submit}
      cancelText={t.common.cancel}
      onCancel={onClose}
      onOk={() => {
        form.submit();
      }}
      confirmLoading={submitting}
      width={kind === 'admit' ? 720 : 560}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<Values> form={form} layout="vertical" initialValues={initialValues(kind)} onFinish={(values) => void submit(values)}>
        <Fields kind={kind} member={member} />
      </Form>
    </Modal>
  );
}

