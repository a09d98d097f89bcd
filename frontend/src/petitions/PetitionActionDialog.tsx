import { Form, Input, Typography } from 'antd';
import { acceptPetition, answerPetition, closePetition, rejectPetition, type PetitionRead } from '../api';
import { FormDialog } from '../components/FormDialog';
import { t } from '../i18n';
import { ANSWER_DAYS, type PetitionAction } from './labels';

const p = t.petitions;
const text = [{ required: true, whitespace: true, message: p.form.required }, { min: 2, message: p.form.tooShort }];

interface Values {
  reason?: string;
  answer?: string;
}

/** Sends the step to its endpoint, guarded by the petition's ETag. */
async function send(action: PetitionAction, id: number, etag: string | null, values: Values): Promise<void> {
  const options = { path: { petition_id: id }, headers: etag ? { 'if-match': etag } : undefined };
  switch (action) {
    case 'accept':
      await acceptPetition(options);
      return;
    case 'reject':
      await rejectPetition({ ...options, body: { reason: (values.reason ?? '').trim() } });
      return;
    case 'answer':
      await answerPetition({ ...options, body: { answer: (values.answer ?? '').trim() } });
      return;
    case 'close':
      await closePetition(options);
      return;
  }
}

interface Props {
  action: PetitionAction;
  item: PetitionRead;
  etag: string | null;
  /** The filer closes their own; a handler reads the rule on when they may. */
  asFiler: boolean;
  onClose: () => void;
  onDone: () => void;
  /** Changed meanwhile (412) or no longer in that state (409): reload so a retry carries the new ETag. */
  onStale: () => void;
}

/** One step on a petition, showing the API's refusal (409, 412, 422) in place. */
export function PetitionActionDialog({ action, item, etag, asFiler, onClose, onDone, onStale }: Props) {
  const label = p.actions[action];
  return (
    <FormDialog<Values>
      title={`${label} · #${item.id} ${item.title}`}
      submit={(values) => send(action, item.id, etag, values)}
      successMessage={p.done(label)}
      staleMessage={p.staleReloaded}
      onStale={onStale}
      onClose={onClose}
      onDone={onDone}
      danger={action === 'reject'}
      okText={label}
    >
      {action === 'accept' ? <Typography.Paragraph>{p.confirmAccept(ANSWER_DAYS)}</Typography.Paragraph> : null}
      {action === 'close' ? <Typography.Paragraph>{asFiler ? p.closeHint : p.handlerCloseHint}</Typography.Paragraph> : null}
      {action === 'reject' ? (
        <Form.Item name="reason" label={p.fields.rejectionReason} rules={text}>
          <Input.TextArea rows={3} maxLength={1000} showCount />
        </Form.Item>
      ) : null}
      {action === 'answer' ? (
        <Form.Item name="answer" label={p.fields.answer} rules={text}>
          <Input.TextArea rows={6} maxLength={4000} showCount />
        </Form.Item>
      ) : null}
    </FormDialog>
  );
}
