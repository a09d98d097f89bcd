import { Alert, App, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import { castScoringBallot, type Grade, type RaterGroup, type RoundRead } from '../api';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { optionsOf } from '../members/labels';
import { GRADES } from './grades';
import { showLocalizedFieldErrors } from './problemFields';
import { ballotBody, type BallotValues as Values } from './ballot';
import { raterNeeded, type RollMember } from './roll';

const s = t.scoring;
const b = s.ballot;
const required = [{ required: true, message: s.form.required }];
/** Groups recorded here; the masses vote only through their one-time tokens. */
const GROUPS: RaterGroup[] = ['self', 'fellow', 'committee', 'superior'];

interface Props {
  round: RoundRead;
  roll: RollMember[];
  onClose: () => void;
  onRecorded: () => void;
}

/** One ballot for a member by a rater group; a fellow member's ballot is stored without naming the rater. */
export function BallotDialog({ round, roll, onClose, onRecorded }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const group = (Form.useWatch('rater_group', form) as RaterGroup | undefined) ?? 'superior';
  const mode = (Form.useWatch('mode', form) as Values['mode'] | undefined) ?? 'grade';
  const memberId = Form.useWatch('member_id', form);
  const need = raterNeeded(group);
  const options = roll.map((m) => ({ value: m.id, label: m.probationary ? `${m.name}（${s.probationary}）` : m.name }));

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      await castScoringBallot({ path: { round_id: round.id }, body: ballotBody(values) });
      void message.success(b.recorded);
      onRecorded();
    } catch (caught) {
      setError(errorMessage(caught));
      showLocalizedFieldErrors(form, caught);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={b.title}
      okText={t.common.submit}
      cancelText={t.common.cancel}
      onCancel={onClose}
      onOk={() => {
        form.submit();
      }}
      confirmLoading={submitting}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" /> : null}
      <Form<Values> form={form} layout="vertical" initialValues={{ rater_group: 'superior', mode: 'grade' }} onFinish={(values) => void submit(values)}>
        <Form.Item name="member_id" label={b.member} rules={required}>
          <Select aria-label={b.member} options={options} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item name="rater_group" label={b.group} rules={required}>
          <Radio.Group options={GROUPS.map((value) => ({ value, label: s.raterGroups[value] }))} />
        </Form.Item>
        {need === 'other' || need === 'any' ? (
          <Form.Item
            name="rater_member_id"
            label={need === 'other' ? b.fellowRater : b.committeeRater}
            rules={required}
            extra={need === 'other' ? b.anonymousHint : undefined}
          >
            <Select
              aria-label={need === 'other' ? b.fellowRater : b.committeeRater}
              options={need === 'other' ? options.filter((option) => option.value !== memberId) : options}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
        ) : (
          <Typography.Paragraph type="secondary">{need === 'same' ? b.selfHint : b.superiorHint}</Typography.Paragraph>
        )}
        <Form.Item name="mode" label={b.mode}>
          <Radio.Group options={[{ value: 'grade', label: b.byGrade }, { value: 'score', label: b.byScore }]} />
        </Form.Item>
        {mode === 'grade' ? (
          <Form.Item name="grade" label={b.grade} rules={required}>
            <Radio.Group options={optionsOf(Object.fromEntries(GRADES.map((g) => [g, s.grades[g]])) as Record<Grade, string>)} />
          </Form.Item>
        ) : (
          <Form.Item name="score" label={b.score} rules={required}>
            <InputNumber<number> min={0} max={100} precision={2} style={{ width: 120 }} />
          </Form.Item>
        )}
        <Form.Item name="comment" label={b.comment}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
