import type { ActivityKind } from '../api';

/** 三会一课 in the party colours; trainings and self-study in cooler ones. */
export const KIND_COLORS: Record<ActivityKind, string> = {
  branch_meeting: 'red',
  committee_meeting: 'volcano',
  group_meeting: 'orange',
  party_lecture: 'gold',
  theme_day: 'magenta',
  training_class: 'blue',
  self_study: 'cyan',
  online_course: 'geekblue',
};
