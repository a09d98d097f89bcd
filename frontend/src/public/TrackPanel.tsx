import { Alert, Button, Descriptions, Divider, Form, Input, Rate, Skeleton, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { ratePublicComplaint, trackPublicComplaint, type ComplaintRating, type PublicComplaintView } from '../api';
import { EVENT_COLORS, STATUS_COLORS } from '../complaints/labels';
import { t } from '../i18n';
import { formatDateTime } from '../lib/format';
import { useLoader } from '../lib/useLoader';
import { PublicError, publicErrorMessage, unwrap } from './publicApi';
import { useCountdown } from './useCountdown';

const p = t.publicComplaints;
const c = t.complaints;

function Progress({ view }: { view: PublicComplaintView }) {
  return (
    <div data-testid="public-timeline">
      <Timeline
        items={view.steps.map((step, index) => ({
          key: index,
          color: EVENT_COLORS[step.kind],
          content: (
            <div>
              <Typography.Text strong>{c.events[step.kind]}</Typography.Text>
              <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                {formatDateTime(step.at)}
              </Typography.Text>
              {step.note ? <div style={{ overflowWrap: 'anywhere' }}>{step.note}</div> : null}
            </div>
          ),
        }))}
      />
    </div>
  );
}

interface RatingValues {
  rating?: number;
  comment?: string;
}

function RatingForm({ code, onRated }: { code: string; onRated: (view: PublicComplaintView) => void }) {
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [wait, startWait] = useCountdown();

  const submit = async (values: RatingValues) => {
    setSubmitting(true);
    setError(null);
    const body: ComplaintRating = { rating: values.rating ?? 0, comment: values.comment?.trim() ? values.comment.trim() : null };
    try {
      onRated(await unwrap(ratePublicComplaint({ path: { code }, body, throwOnError: false })));
    } catch (caught) {
      setError(publicErrorMessage(caught));
      if (caught instanceof PublicError && caught.status === 429) startWait(caught.retryAfter ?? 60);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Form<RatingValues> layout="vertical" onFinish={(values) => void submit(values)} data-testid="rating-form">
      <Typography.Title level={5}>{p.rateTitle}</Typography.Title>
      <Form.Item name="rating" label={p.rating} rules={[{ required: true, message: p.ratingRequired }]}>
        <Rate tooltips={p.ratingLabels} />
      </Form.Item>
      <Form.Item name="comment" label={p.comment}>
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
      {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} /> : null}
      <Button type="primary" htmlType="submit" block loading={submitting} disabled={wait > 0}>
        {wait > 0 ? p.retryIn(wait) : p.rate}
      </Button>
    </Form>
  );
}

function View({ code }: { code: string }) {
  const loaded = useLoader<PublicComplaintView>(() => unwrap(trackPublicComplaint({ path: { code }, throwOnError: false })), code);
  const [rated, setRated] = useState<PublicComplaintView | null>(null);
  const view = rated ?? loaded.data;

  if (loaded.error) {
    return <Alert type="error" showIcon title={publicErrorMessage(loaded.error)} role="alert" />;
  }
  if (!view) return <Skeleton active />;
  return (
    <div data-testid="public-view">
      <Descriptions
        size="small"
        bordered
        column={1}
        items={[
          { key: 'code', label: p.codeLabel, children: <span className="mono">{view.tracking_code}</span> },
          {
            key: 'status',
            label: p.status,
            children: (
              <Tag color={STATUS_COLORS[view.status]} data-testid="public-status">
                {c.statuses[view.status]}
              </Tag>
            ),
          },
          { key: 'category', label: c.fields.category, children: view.category },
          { key: 'received', label: p.receivedAt, children: formatDateTime(view.received_at) },
          { key: 'due', label: p.dueAt, children: formatDateTime(view.due_at) },
          ...(view.closure_reason ? [{ key: 'closure', label: p.closure, children: c.closureReasons[view.closure_reason] }] : []),
        ]}
      />
      <Divider titlePlacement="start">{p.progress}</Divider>
      <Progress view={view} />
      {rated ? (
        <Alert type="success" showIcon title={rated.status === 'reopened' ? p.ratedReopened : p.rated} role="status" />
      ) : view.rated ? (
        <Alert type="success" showIcon title={p.alreadyRated} />
      ) : view.status === 'resolved' ? (
        <RatingForm code={view.tracking_code} onRated={setRated} />
      ) : view.status !== 'closed' && view.status !== 'rejected' ? (
        <Typography.Text type="secondary">{p.rateLater}</Typography.Text>
      ) : null}
    </div>
  );
}

/** Looks a request up by its tracking code: progress as the public sees it, and the rating once resolved. */
export function TrackPanel({ code, onCode }: { code: string | null; onCode: (code: string) => void }) {
  return (
    <>
      <Form layout="vertical" style={{ marginBottom: 16 }}>
        <Form.Item label={p.codeLabel} htmlFor="tracking-code-input" style={{ marginBottom: 0 }}>
          <Input.Search
            key={code ?? ''}
            id="tracking-code-input"
            defaultValue={code ?? ''}
            placeholder={p.codePlaceholder}
            enterButton={p.query}
            maxLength={32}
            autoComplete="off"
            autoCapitalize="characters"
            onSearch={(value) => {
              const trimmed = value.trim().toUpperCase();
              if (trimmed) onCode(trimmed);
            }}
          />
        </Form.Item>
      </Form>
      {code ? <View key={code} code={code} /> : null}
    </>
  );
}
