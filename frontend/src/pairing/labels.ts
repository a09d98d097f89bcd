import type { PairStatus, TaskRead } from '../api';

export const PAIR_STATUS_COLORS: Record<PairStatus, string> = {
  active: 'green',
  completed: 'blue',
  ended_early: 'default',
};

export const TASK_STATUS_COLORS: Record<TaskRead['status'], string> = {
  open: 'orange',
  visited: 'green',
  closed: 'blue',
  cancelled: 'default',
};
