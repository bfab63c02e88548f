/**
 * A runbook step as a catalog gives it (electron/catalog/markdown-text.ts):
 * its text on the first line(s), then each code block of the list item
 * fenced on lines of its own (```lang … ```). One reading for every place
 * that shows a step: the window shows the code as a copyable command block.
 * A step typed by hand is text only.
 */
export interface StepCode {
  /** The fence's language word (`shell`), or ''. */
  lang: string;
  code: string;
}

export interface StepParts {
  text: string;
  code: StepCode[];
}

const FENCED = /^(`{3,})([\w+#.-]*)\n([\s\S]*?)\n\1$/gm;

export function stepParts(step: string): StepParts {
  const code: StepCode[] = [];
  let first = -1;
  for (const match of step.matchAll(FENCED)) {
    first = first === -1 ? match.index : first;
    code.push({ lang: match[2] ?? '', code: match[3] ?? '' });
  }
  return { text: (first === -1 ? step : step.slice(0, first)).trim(), code };
}

/** A piece of a step's text: prose, or inline code (a Markdown code span in the stored step). */
export interface StepSpan {
  text: string;
  code: boolean;
}

/**
 * A step's text split into prose and inline code, as CommonMark reads code
 * spans: a run of backticks opens one and the next run of the same length
 * closes it; a run with no partner is text. A catalog step keeps its code
 * spans (electron/catalog/runbook-steps.ts), so `kubectl get pods` shows as code.
 */
export function stepSpans(text: string): StepSpan[] {
  const spans: StepSpan[] = [];
  const push = (piece: string, code: boolean): void => {
    const last = spans.at(-1);
    if (piece === '') {
      return;
    }
    if (last && !last.code && !code) {
      last.text += piece;
    } else {
      spans.push({ text: piece, code });
    }
  };
  const runs = [...text.matchAll(/`+/g)].map((m) => ({ at: m.index, length: m[0].length }));
  let from = 0;
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i];
    if (!open || open.at < from) {
      continue;
    }
    const closeIndex = runs.findIndex((run, j) => j > i && run.length === open.length);
    const close = runs[closeIndex];
    if (!close) {
      continue;
    }
    push(text.slice(from, open.at), false);
    const inner = text.slice(open.at + open.length, close.at);
    const strip = inner.length > 2 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '';
    push(strip ? inner.slice(1, -1) : inner, true);
    from = close.at + close.length;
    i = closeIndex;
  }
  push(text.slice(from), false);
  return spans;
}
