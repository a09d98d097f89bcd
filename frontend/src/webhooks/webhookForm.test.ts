import type { DeliveryRead, WebhookRead } from '../api';
import { ApiError } from '../lib/apiError';
import { canRetry, initialValues, toCreateBody, toUpdateBody, webhookFieldErrors } from './webhookForm';

const webhook: WebhookRead = {
  id: 7,
  org_id: 3,
  service_account_id: null,
  url: 'https://hooks.example.org/in',
  description: '县融媒体中心',
  event_types: ['complaint.received', 'complaint.resolved'],
  active: true,
  version: 2,
  created_at: '2026-03-01T01:00:00Z',
  updated_at: '2026-03-01T01:00:00Z',
};

describe('webhook form', () => {
  it('starts a new webhook active, on the caller’s org, with nothing chosen', () => {
    expect(initialValues(null, 3)).toEqual({ org_id: 3, url: '', description: '', event_types: [], service_account_id: null, active: true });
    expect(initialValues(webhook, 3)).toMatchObject({ url: webhook.url, event_types: webhook.event_types, active: true });
  });

  it('trims the create body and keeps the service account', () => {
    expect(toCreateBody({ org_id: 3, url: ' https://x.example/h ', description: ' ', event_types: ['webhook.ping'], service_account_id: 4 })).toEqual({
      org_id: 3,
      url: 'https://x.example/h',
      description: '',
      event_types: ['webhook.ping'],
      service_account_id: 4,
    });
  });

  it('sends only what changed, and nothing when nothing did', () => {
    expect(toUpdateBody(initialValues(webhook, 3), webhook)).toBeNull();
    // The same events in another order are no change.
    expect(toUpdateBody({ ...initialValues(webhook, 3), event_types: ['complaint.resolved', 'complaint.received'] }, webhook)).toBeNull();
    expect(toUpdateBody({ ...initialValues(webhook, 3), url: 'https://new.example/h', active: false }, webhook)).toEqual({
      url: 'https://new.example/h',
      active: false,
    });
    expect(toUpdateBody({ ...initialValues(webhook, 3), event_types: ['complaint.received'] }, webhook)).toEqual({ event_types: ['complaint.received'] });
  });

  it('gathers the refused event types under the one event field, in the UI language', () => {
    const error = new ApiError(422, {
      status: 422,
      code: 'webhook_event_not_readable',
      messages: { 'zh-CN': '服务账号无权读取这些事件', en: 'The service account may not read these events' },
      errors: [
        { field: 'body.event_types.0', code: 'webhook_event_not_readable', message: 'a', messages: { 'zh-CN': '无权读取 complaint.received', en: 'x' } },
        { field: 'body.event_types.2', code: 'webhook_event_not_readable', message: 'b', messages: { 'zh-CN': '无权读取 scoring.published', en: 'y' } },
        { field: 'body.unknown', message: 'ignored' },
      ],
    } as ConstructorParameters<typeof ApiError>[1]);
    expect(webhookFieldErrors(error)).toEqual([{ name: 'event_types', errors: ['无权读取 complaint.received', '无权读取 scoring.published'] }]);
    expect(webhookFieldErrors(new Error('boom'))).toEqual([]);
  });

  it('offers a retry only for a delivery that gave up', () => {
    const delivery = { status: 'failed' } as DeliveryRead;
    expect(canRetry(delivery)).toBe(true);
    expect(canRetry({ ...delivery, status: 'pending' })).toBe(false);
    expect(canRetry({ ...delivery, status: 'delivered' })).toBe(false);
  });
});
