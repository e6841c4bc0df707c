/**
 * Progress of the CLI's long steps, on standard error so standard output stays the report: on a terminal one
 * bar redrawn in place (`Optimising  [#######·······]  7/16  sova-sofa`), otherwise one plain line per item.
 */

/** Where progress goes: a writer and whether it is a terminal (then the bar is redrawn in place). */
export interface ProgressSink {
  write(text: string): void;
  tty: boolean;
}

/** One step's progress: `tick` after each item, `done` at the end. */
export interface Progress {
  /** Counts one item as done; `label` names it (the product id, the file). */
  tick(label: string): void;
  /** Ends the step (a terminal gets its final bar and a newline). */
  done(summary?: string): void;
}

const WIDTH = 24;

/** A bar of `width` cells for `done` of `total`. */
export function bar(done: number, total: number, width = WIDTH): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}]`;
}

/** Starts the progress of a step of `total` items called `title`. */
export function startProgress(sink: ProgressSink, title: string, total: number): Progress {
  let done = 0;
  const pad = String(total).length;
  const line = (label: string): string =>
    `${title.padEnd(12)} ${bar(done, total)} ${String(done).padStart(pad)}/${total}  ${label}`;
  if (sink.tty) sink.write(`\r${line('')}\u001b[K`);
  return {
    tick(label) {
      done += 1;
      sink.write(sink.tty ? `\r${line(label)}\u001b[K` : `${title}: ${done}/${total} ${label}\n`);
    },
    done(summary = '') {
      if (sink.tty) sink.write(`\r${line(summary)}\u001b[K\n`);
      else if (summary) sink.write(`${title}: ${summary}\n`);
    },
  };
}
