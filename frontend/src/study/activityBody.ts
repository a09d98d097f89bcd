import type { Dayjs } from 'dayjs';
import type { ActivityCreate, ActivityKind } from '../api';

export interface ActivityValues {
  org_id: number;
  kind: ActivityKind;
  starts_at: Dayjs;
  place?: string;
  topic: string;
  presenter?: string;
  hours: number;
  content?: string;
  materials?: string;
}

/** The request body for the form's values: the time with the browser's offset, links one per line. */
export function toActivityCreate(values: ActivityValues): ActivityCreate {
  const blank = (text: string | undefined) => (text?.trim() ? text.trim() : null);
  return {
    org_id: values.org_id,
    kind: values.kind,
    starts_at: values.starts_at.second(0).millisecond(0).format(),
    place: blank(values.place),
    topic: values.topic.trim(),
    presenter: blank(values.presenter),
    hours: values.hours,
    content: blank(values.content),
    materials: (values.materials ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  };
}
