/**
 * Progress of long-running work (sync, rekey, self-test…), pushed from main to
 * the renderer. `done`/`total` are counts of steps; `total` is null while the
 * amount of work is not yet known.
 */
export interface ProgressEvent {
  /** Identifies one piece of work; the renderer groups events by it. */
  taskId: string;
  /** A short label for the current step, shown as-is to the user. */
  label: string;
  done: number;
  total: number | null;
  /** Set on the last event of a task. */
  finished: boolean;
}

export type ProgressListener = (event: ProgressEvent) => void;
