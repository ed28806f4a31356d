import { useState } from "react";

/**
 * Keeps the cursors of the pages already visited, so that a forward-only
 * Relay connection can also go back. `after` is the cursor of the current page.
 */
export function useCursorStack() {
  const [stack, setStack] = useState<string[]>([]);
  return {
    after: stack.length > 0 ? stack[stack.length - 1]! : null,
    page: stack.length + 1,
    next: (endCursor: string) => setStack((s) => [...s, endCursor]),
    previous: () => setStack((s) => s.slice(0, -1)),
    reset: () => setStack([]),
  };
}
