import type { StepCode } from '../../../shared/step-text';
import { invoke } from '../lifeboat-client';

/** A step's commands (its list item's code blocks, shared/step-text.ts), each in a block with a copy button. */
export function StepCommands({ code, step }: { code: readonly StepCode[]; step: number }) {
  return (
    <>
      {code.map((block, j) => (
        <div key={j} className="step-command" data-testid="step-command">
          {/* A long command scrolls sideways: a tab stop with a name, so the keyboard can scroll it. */}
          <pre tabIndex={0} role="group" aria-label={`Command of step ${String(step)}`}>
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
