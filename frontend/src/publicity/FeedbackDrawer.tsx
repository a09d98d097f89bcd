import { Alert, Button, Drawer, Empty, Form, Grid, Input, List, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { answerPublicationFeedback, listPublicationFeedback, type FeedbackRead, type PublicationRead } from '../api';
import { FormDialog } from '../components/FormDialog';
import { Pager } from '../components/Pager';
import { useCan } from '../auth/permissions';
import { t } from '../i18n';
import { errorMessage } from '../lib/apiError';
import { formatDateTime } from '../lib/format';
import { usePaged } from '../lib/usePaged';
import { etagOf } from './labels';

const p = t.publicity;
const f = p.fields;

const unansweredObjection = (feedback: FeedbackRead) => feedback.kind === 'objection' && !feedback.answer;

function FeedbackItem({ feedback, canAnswer, onAnswer }: { feedback: FeedbackRead; canAnswer: boolean; onAnswer: () => void }) {
  const open = unansweredObjection(feedback);
  return (
    <List.Item
      data-testid={`feedback-${String(feedback.id)}`}
      className={open ? 'feedback-open-objection' : undefined}
      style={open ? { background: 'var(--ant-color-error-bg)', borderInlineStart: '3px solid var(--ant-color-error)', paddingInline: 12 } : { paddingInline: 12 }}
      actions={
        open && canAnswer
          ? [
              <Button key="answer" size="small" type="primary" onClick={onAnswer}>
                {p.actions.answer}
              </Button>,
            ]
          : undefined
      }
    >
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Space size={4} wrap>
          <Tag color={feedback.kind === 'objection' ? 'red' : 'blue'}>{p.feedbackKinds[feedback.kind]}</Tag>
          {open ? <Tag color="error">{p.unanswered}</Tag> : null}
          <Typography.Text type="secondary">
            {feedback.name ?? p.anonymous}
            {feedback.contact ? ` · ${feedback.contact}` : ''} · {formatDateTime(feedback.filed_at)}
          </Typography.Text>
        </Space>
        <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{feedback.text}</Typography.Paragraph>
        {feedback.answer ? (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
            {f.answer}：{feedback.answer}
            {feedback.answered_at ? `（${p.answeredAt(formatDateTime(feedback.answered_at))}）` : null}
          </Typography.Paragraph>
        ) : null}
      </Space>
    </List.Item>
  );
}

interface Props {
  item: PublicationRead;
  onClose: () => void;
  /** An answer changed the item's count of open objections. */
  onChanged: () => void;
}

/** An item's feedback, open objections marked; a writer answers an objection (once, with If-Match). */
export function FeedbackDrawer({ item, onClose, onChanged }: Props) {
  const canAnswer = useCan('members:write');
  const screens = Grid.useBreakpoint();
  const paged = usePaged<FeedbackRead>(
    (limit, cursor) => listPublicationFeedback({ path: { publication_id: item.id }, query: { limit, cursor } }).then(({ data }) => data),
    String(item.id),
  );
  const { page, keyset, pageSize, setPageSize, items } = paged;
  const [answering, setAnswering] = useState<FeedbackRead | null>(null);
  const [stale, setStale] = useState(false);
  const openCount = items.filter(unansweredObjection).length;
  const blocks = item.kind === 'candidate_notice' ? Math.max(openCount, item.objections_open) : 0;

  return (
    <Drawer open title={p.feedbackTitle(item.title)} size={screens.md ? 640 : '100%'} onClose={onClose} destroyOnHidden>
      {blocks > 0 ? <Alert type="warning" showIcon title={p.blocksNext(blocks)} style={{ marginBottom: 16 }} role="alert" /> : null}
      {stale ? <Alert type="error" showIcon title={p.staleReloaded} style={{ marginBottom: 16 }} role="alert" /> : null}
      {page.error ? <Alert type="error" showIcon title={errorMessage(page.error)} style={{ marginBottom: 16 }} role="alert" /> : null}
      {page.loading && !page.data ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description={p.noFeedback} />
      ) : (
        <List
          dataSource={items}
          renderItem={(feedback) => (
            <FeedbackItem
              feedback={feedback}
              canAnswer={canAnswer}
              onAnswer={() => {
                setStale(false);
                setAnswering(feedback);
              }}
            />
          )}
        />
      )}
      <Pager keyset={keyset} nextCursor={page.data?.next_cursor} loading={page.loading} pageSize={pageSize} onPageSize={setPageSize} info={p.onPage(items.length)} />
      {answering ? (
        <FormDialog<{ answer: string }>
          title={p.answerTitle}
          successMessage={p.answeredDone}
          staleMessage={p.staleReloaded}
          onClose={() => {
            setAnswering(null);
          }}
          onDone={() => {
            setAnswering(null);
            page.reload();
            onChanged();
          }}
          onStale={() => {
            setAnswering(null);
            setStale(true);
            page.reload();
          }}
          submit={(values) =>
            answerPublicationFeedback({
              path: { publication_id: item.id, feedback_id: answering.id },
              headers: { 'if-match': etagOf(answering.version) },
              body: { answer: values.answer.trim() },
            })
          }
        >
          <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
            {answering.text}
          </Typography.Paragraph>
          <Form.Item name="answer" label={f.answer} rules={[{ required: true, whitespace: true, message: p.required }, { min: 2, message: p.public.tooShort }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
        </FormDialog>
      ) : null}
    </Drawer>
  );
}
