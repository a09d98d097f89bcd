import { useEffect, useRef } from 'react';
import { getJob, type JobRead } from '../api';
import { isFinished } from './importJob';

/**
 * Polls `GET /jobs/{jobId}` every `intervalMs` while `jobId` is set, handing each answer to `onUpdate`,
 * until the job has ended (the caller then clears `jobId` by seeing it finished). A failed poll goes to
 * `onError` and stops.
 */
export function useFollowJob(jobId: number | null, onUpdate: (job: JobRead) => void, onError: (error: unknown) => void, intervalMs: number): void {
  const callbacks = useRef({ onUpdate, onError });
  useEffect(() => {
    callbacks.current = { onUpdate, onError };
  });
  useEffect(() => {
    if (jobId === null) return;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      getJob({ path: { job_id: jobId } }).then(
        ({ data }) => {
          if (!current) return;
          callbacks.current.onUpdate(data);
          if (!isFinished(data)) timer = setTimeout(poll, intervalMs);
        },
        (caught: unknown) => {
          if (current) callbacks.current.onError(caught);
        },
      );
    };
    timer = setTimeout(poll, intervalMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [jobId, intervalMs]);
}
