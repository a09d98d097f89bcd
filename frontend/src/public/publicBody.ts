import type { PublicComplaintCreate } from '../api';

/** The public intake form's fields. */
export interface Values {
  category?: string;
  title?: string;
  description?: string;
  location_text?: string;
  village?: string;
  reporter_name?: string;
  reporter_phone?: string;
}

const optional = (text: string | undefined): string | null => {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

/** The request body: blank optional fields are left out (an empty name means an anonymous report). */
export function toPublicBody(values: Values): PublicComplaintCreate {
  return {
    category: values.category ?? '',
    title: values.title?.trim() ?? '',
    description: values.description?.trim() ?? '',
    location_text: optional(values.location_text),
    village: optional(values.village),
    reporter_name: optional(values.reporter_name),
    reporter_phone: optional(values.reporter_phone),
  };
}
