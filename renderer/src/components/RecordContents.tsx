/**
 * A long runbook's contents (issue 19, item 7): its section headings as a
 * list of buttons; one moves focus (and the view) to that heading, so the
 * keyboard carries on reading from there. Read from the rendered body, so
 * it lists exactly the headings shown. Short pages (fewer than
 * MIN_SECTIONS headings) get none: a list as long as the page helps nobody.
 */
import { useEffect, useState, type RefObject } from 'react';

const MIN_SECTIONS = 4;

interface Section {
  level: number;
  text: string;
}

function headingsOf(root: HTMLElement | null): HTMLElement[] {
  return Array.from(root?.querySelectorAll<HTMLElement>('h2, h3') ?? []);
}

export function RecordContents({ bodyRef, html }: { bodyRef: RefObject<HTMLDivElement | null>; html: string }) {
  const [sections, setSections] = useState<Section[]>([]);
  useEffect(() => {
    setSections(headingsOf(bodyRef.current).map((h) => ({ level: Number(h.tagName.slice(1)), text: h.textContent.replace(/\s+/gu, ' ').trim() })));
  }, [bodyRef, html]);
  if (sections.length < MIN_SECTIONS) {
    return null;
  }
  const go = (index: number): void => {
    const heading = headingsOf(bodyRef.current)[index];
    if (heading) {
      heading.tabIndex = -1;
      heading.scrollIntoView({ block: 'start' });
      heading.focus({ preventScroll: true });
    }
  };
  return (
    <nav className="record-contents" aria-label="Contents" data-testid="record-contents">
      <details open>
        <summary>Contents ({sections.length})</summary>
        <ul>
          {sections.map((section, i) => (
            <li key={i} className={section.level === 3 ? 'contents-sub' : undefined}>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  go(i);
                }}
              >
                {section.text}
              </button>
            </li>
          ))}
        </ul>
      </details>
    </nav>
  );
}
