import type { DeliveryRead, VanguardWebhooksModelsEventType as EventType, WebhookCreate, WebhookRead, WebhookUpdate } from '../api';
import { localizedFieldErrors } from '../scoring/problemFields';

/** The webhook form's fields: all of them when creating; org and service account are fixed afterwards. */
export interface WebhookValues {
  org_id?: number | null;
  url?: string;
  description?: string;
  event_types?: EventType[];
  service_account_id?: number | null;
  active?: boolean;
}

const FIELDS: readonly (keyof WebhookValues)[] = ['org_id', 'url', 'description', 'event_types', 'service_account_id', 'active'];

/** The form's starting values: a new webhook is active and owned by the caller's org; an existing one as it is. */
export function initialValues(webhook: WebhookRead | null, orgId: number | null): WebhookValues {
  if (!webhook) return { org_id: orgId, url: '', description: '', event_types: [], service_account_id: null, active: true };
  return {
    org_id: webhook.org_id,
    url: webhook.url,
    description: webhook.description,
    event_types: webhook.event_types,
    service_account_id: webhook.service_account_id,
    active: webhook.active,
  };
}

export function toCreateBody(values: WebhookValues): WebhookCreate {
  return {
    org_id: values.org_id ?? 0,
    url: values.url?.trim() ?? '',
    description: values.description?.trim() ?? '',
    event_types: values.event_types ?? [],
    service_account_id: values.service_account_id ?? null,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((one) => b.includes(one));

/** Only what changed, so that an edit does not overwrite fields nobody touched; null when nothing did. */
export function toUpdateBody(values: WebhookValues, current: WebhookRead): WebhookUpdate | null {
  const body: WebhookUpdate = {};
  const url = values.url?.trim() ?? '';
  const description = values.description?.trim() ?? '';
  const events = values.event_types ?? [];
  if (url !== current.url) body.url = url;
  if (description !== current.description) body.description = description;
  if (!sameSet(events, current.event_types)) body.event_types = events;
  if (values.active !== undefined && values.active !== current.active) body.active = values.active;
  return Object.keys(body).length > 0 ? body : null;
}

/**
 * A 422's field errors for the form: the API names each refused event type (`event_types.2`, e.g.
 * `webhook_event_not_readable`), the form has one field for them all, so those are gathered under it.
 */
export function webhookFieldErrors(error: unknown): { name: keyof WebhookValues; errors: string[] }[] {
  const byField = new Map<keyof WebhookValues, string[]>();
  for (const { path, message } of localizedFieldErrors(error)) {
    const field = FIELDS.find((one) => one === path[0]);
    if (field) byField.set(field, [...(byField.get(field) ?? []), message]);
  }
  return [...byField].map(([name, errors]) => ({ name, errors }));
}

/** Only a delivery that gave up can be sent again; a pending one is still being tried. */
export const canRetry = (delivery: DeliveryRead): boolean => delivery.status === 'failed';
