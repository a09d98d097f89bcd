import { useState } from 'react';

interface Stack {
  key: string;
  cursors: (string | undefined)[];
}

export interface Keyset {
  /** The cursor of the page to load (undefined: the first page). */
  cursor: string | undefined;
  /** 1-based number of the current page. */
  pageNo: number;
  previous: (() => void) | null;
  /** Goes to the page after the current one, given the current page's `next_cursor`. */
  next: (nextCursor: string) => void;
}

/**
 * Keyset paging as a stack of cursors: "next" pushes the page's `next_cursor`, "previous" pops.
 * A new `queryKey` (other filters) starts again from the first page.
 */
export function useKeyset(queryKey: string): Keyset {
  const [stack, setStack] = useState<Stack>({ key: queryKey, cursors: [undefined] });
  const cursors = stack.key === queryKey ? stack.cursors : [undefined];
  return {
    cursor: cursors.at(-1),
    pageNo: cursors.length,
    previous:
      cursors.length > 1
        ? () => {
            setStack({ key: queryKey, cursors: cursors.slice(0, -1) });
          }
        : null,
    next: (nextCursor) => {
      setStack({ key: queryKey, cursors: [...cursors, nextCursor] });
    },
  };
}
