import { stepSpans, type StepCode } from '../../../shared/step-text';
import { useClipboardStore } from '../stores/clipboard-store';
import { useLibraryStore } from '../stores/library-store';
import { CopyNotice } from './CopyNotice';

/** A step's commands (its list item's code blocks, shared/step-text.ts), each in a block with a copy button. */
export function StepCommands({ code, step }: { code: readonly StepCode[]; step: number }) {
  const copyText = useClipboardStore((s) => s.copyText);
  // The notice belongs to this record's step: another runbook's step 1 does not show it.
  const recordId = useLibraryStore((s) => s.selected?.id ?? '');
  const key = (j: number): string => `${recordId}:step:${step}:${j}`;
  return (
    <>
      {code.map((block, j) => (
        <div key={j} className="step-command" data-testid="step-command">
          {/* A long command scrolls sideways: a tab stop with a name, so the keyboard can scroll it. */}
          <pre tabIndex={0} role="group" aria-label={`Command of step ${String(step)}`}>
            <code>{block.code}</code>
          </pre>
          <button type="button" className="link-button" onClick={() => void copyText(key(j), block.code)} aria-label={`Copy the command of step ${step}`}>
            copy
          </button>
          <CopyNotice copyKey={key(j)} />
        </div>
      ))}
    </>
  );
}

/** A step's text with its inline code shown as code (shared/step-text.ts stepSpans). */
export function StepText({ text }: { text: string }) {
  return <>{stepSpans(text).map((span, i) => (span.code ? <code key={i}>{span.text}</code> : span.text))}</>;
}
