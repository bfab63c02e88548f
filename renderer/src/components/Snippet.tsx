const START = String.fromCharCode(2);
const END = String.fromCharCode(3);

/** A search excerpt: the index marks matches with STX…ETX; they become <mark>. */
export function Snippet({ text }: { text: string }) {
  const parts: { text: string; hit: boolean }[] = [];
  for (const [i, chunk] of text.split(START).entries()) {
    const [hit, rest] = i === 0 ? [undefined, chunk] : [chunk.split(END)[0], chunk.split(END).slice(1).join(END)];
    if (hit !== undefined) {
      parts.push({ text: hit, hit: true });
    }
    if (rest) {
      parts.push({ text: rest.replace(/\s+/g, ' '), hit: false });
    }
  }
  return <span className="snippet">{parts.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}</span>;
}
