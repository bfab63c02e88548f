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
