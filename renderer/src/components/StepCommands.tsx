import type { StepCode } from '../../../shared/step-text';
import { useClipboardStore } from '../stores/clipboard-store';
import { CopyNotice } from './CopyNotice';

/** A step's commands (its list item's code blocks, shared/step-text.ts), each in a block with a copy button. */
export function StepCommands({ code, step }: { code: readonly StepCode[]; step: number }) {
  const copyText = useClipboardStore((s) => s.copyText);
  return (
    <>
      {code.map((block, j) => (
        <div key={j} className="step-command" data-testid="step-command">
          <pre>
            <code>{block.code}</code>
          </pre>
          <button
            type="button"
            className="link-button"
            onClick={() => void copyText(`step:${step}:${j}`, block.code)}
            aria-label={`Copy the command of step ${step}`}
          >
            copy
          </button>
          <CopyNotice copyKey={`step:${step}:${j}`} />
        </div>
      ))}
    </>
  );
}
