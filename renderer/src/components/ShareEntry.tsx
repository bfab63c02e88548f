import { useRef, type ClipboardEvent, type KeyboardEvent } from 'react';
import { GROUP_LENGTH, SHARE_GROUPS, groupChecks, normalizeShareText } from '../../../shared/share-groups';

export const EMPTY_GROUPS: readonly string[] = Array.from({ length: SHARE_GROUPS }, () => '');

export type GroupState = 'empty' | 'partial' | 'ok' | 'wrong';

export function groupState(index: number, text: string): GroupState {
  if (text === '') {
    return 'empty';
  }
  if (text.length < GROUP_LENGTH) {
    return 'partial';
  }
  return groupChecks(index + 1, text) ? 'ok' : 'wrong';
}

/** Text from `start` on, cut into the boxes (a pasted share, or typing past a box's end). */
function spread(groups: readonly string[], start: number, text: string): { next: string[]; last: number } {
  const next = [...groups];
  let at = start;
  let rest = text;
  while (rest !== '' && at < SHARE_GROUPS) {
    next[at] = rest.slice(0, GROUP_LENGTH);
    rest = rest.slice(GROUP_LENGTH);
    at += 1;
  }
  return { next, last: Math.min(at, SHARE_GROUPS) - 1 };
}

/**
 * One custodian's share as 20 numbered boxes of 5, laid out like the
 * printed sheet. Each group carries its own check character, so a typo is
 * marked in its group the moment the fifth character is typed, not after
 * all 100. A whole share pasted into any box fills them all.
 */
export function ShareEntry({
  groups,
  onChange,
  disabled,
  label,
  focusFirst,
}: {
  groups: readonly string[];
  onChange: (groups: string[]) => void;
  disabled?: boolean;
  label: string;
  /** The next custodian starts typing at group 1 without reaching for the mouse. */
  focusFirst?: boolean;
}) {
  const boxes = useRef<(HTMLInputElement | null)[]>([]);
  const states = groups.map((text, i) => groupState(i, text));
  const wrong = states.flatMap((state, i) => (state === 'wrong' ? [i + 1] : []));

  const focusBox = (index: number): void => {
    const box = boxes.current[Math.max(0, Math.min(SHARE_GROUPS - 1, index))];
    box?.focus();
    box?.select();
  };

  const put = (index: number, raw: string): void => {
    const text = normalizeShareText(raw);
    // A whole share lands in its own boxes wherever it was pasted.
    const start = text.length === SHARE_GROUPS * GROUP_LENGTH ? 0 : index;
    if (text.length <= GROUP_LENGTH && start === index) {
      const next = [...groups];
      next[index] = text;
      onChange(next);
      if (text.length === GROUP_LENGTH && index < SHARE_GROUPS - 1) {
        focusBox(index + 1);
      }
      return;
    }
    const { next, last } = spread(groups, start, text);
    onChange(next);
    focusBox((next[last] ?? '').length === GROUP_LENGTH ? last + 1 : last);
  };

  const onPaste = (index: number, event: ClipboardEvent<HTMLInputElement>): void => {
    event.preventDefault();
    put(index, event.clipboardData.getData('text'));
  };

  const onKeyDown = (index: number, event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Backspace' && groups[index] === '' && index > 0) {
      event.preventDefault();
      focusBox(index - 1);
    }
  };

  return (
    <div className="share-entry">
      <div className="share-grid" role="group" aria-label={label} data-testid="share-grid">
        {groups.map((text, i) => (
          <label key={i} className={`share-box share-box-${states[i] ?? 'empty'}`} data-testid={`group-${i + 1}`} data-state={states[i]}>
            <span className="share-box-head">
              <span className="share-box-number">{i + 1}</span>
              <span className="share-box-mark" aria-hidden="true">
                {states[i] === 'ok' ? '✓' : states[i] === 'wrong' ? '✗ wrong' : ''}
              </span>
            </span>
            <input
              ref={(el) => {
                boxes.current[i] = el;
              }}
              value={text}
              onChange={(e) => {
                put(i, e.target.value);
              }}
              onPaste={(e) => {
                onPaste(i, e);
              }}
              onKeyDown={(e) => {
                onKeyDown(i, e);
              }}
              aria-label={`Group ${i + 1}`}
              autoFocus={focusFirst === true && i === 0}
              aria-invalid={states[i] === 'wrong'}
              disabled={disabled}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              inputMode="text"
            />
          </label>
        ))}
      </div>
      <p className={wrong.length > 0 ? 'share-live share-live-bad' : 'share-live'} aria-live="polite" data-testid="share-live">
        {wrong.length > 0
          ? `Group${wrong.length === 1 ? '' : 's'} ${wrong.join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not check: compare ${wrong.length === 1 ? 'it' : 'them'} with the sheet, character by character.`
          : `${states.filter((s) => s === 'ok').length} of ${SHARE_GROUPS} groups typed and checked.`}
      </p>
    </div>
  );
}
