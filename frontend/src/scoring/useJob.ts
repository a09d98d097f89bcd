import { useEffect, useRef, useState } from 'react';
import { getJob, type JobRead } from '../api';

/** Whether a job has ended, one way or another. */
export const isFinished = (job: Pick<JobRead, 'state'>): boolean => job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled';

/**
 * Follows a job (`GET /jobs/{id}`) every `intervalMs` until it ends, then calls `onFinished` once.
 * `start` is the job as the request that started it answered; mount the caller with `key={job.id}` to
 * follow another job.
 */
export function useJob(start: JobRead | null, onFinished: (job: JobRead) => void, intervalMs = 800): { job: JobRead | null; error: unknown } {
  const [job, setJob] = useState<JobRead | null>(start);
  const [error, setError] = useState<unknown>(null);
  const finishedRef = useRef(onFinished);
  useEffect(() => {
    finishedRef.current = onFinished;
  });
  const jobId = start?.id ?? null;
  useEffect(() => {
    if (jobId === null) return;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      getJob({ path: { job_id: jobId } }).then(
        ({ data }) => {
          if (!current) return;
          setJob(data);
          if (isFinished(data)) finishedRef.current(data);
          else timer = setTimeout(poll, intervalMs);
        },
        (caught: unknown) => {
          if (current) setError(caught);
        },
      );
    };
    timer = setTimeout(poll, start && isFinished(start) ? 0 : intervalMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The job is followed from its id; `start` only seeds the first view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobId, intervalMs]);

  return { job, error };
}
