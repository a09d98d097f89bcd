import { useEffect, useState } from 'react';

/**
 * Seconds left of a wait started with `start(seconds)`, ticking down once a second to 0 (a rate
 * limit's `Retry-After`, so the form can say when to try again and stay disabled until then).
 */
export function useCountdown(): [number, (seconds: number) => void] {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => {
      setLeft((current) => Math.max(0, current - 1));
    }, 1000);
    return () => {
      clearTimeout(timer);
    };
  }, [left]);
  return [left, setLeft];
}
