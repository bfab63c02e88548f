import { stepSpans, type StepCode } from '../../../shared/step-text';
import { invoke } from '../lifeboat-client';

/** A step's commands (its list item's code blocks, shared/step-text.ts), each in a block with a copy button. */
export function StepCommands({ code, step }: { code: readonly StepCode[]; step: number }) {
  return (
    <>
      {code.map((block, j) => (
        <div key={j} className="step-command" data-testid="step-command">
          {/* Focusable so a wide command scrolls from the keyboard (WCAG 2.1.1; issue 19). */}
          <pre tabIndex={0}>
            <code>{block.code}</code>
          </pre>
          <button
            type="button"
            className="link-button"
            onClick={() => void invoke('clipboard:copy-text', { text: block.code })}
            aria-label={`Copy the command of step ${step}`}
          >
            copy
          </button>
        </div>
      ))}
    </>
  );
}

/** A step's text with its inline code shown as code (shared/step-text.ts stepSpans). */
export function StepText({ text }: { text: string }) {
  return <>{stepSpans(text).map((span, i) => (span.code ? <code key={i}>{span.text}</code> : span.text))}</>;
}
