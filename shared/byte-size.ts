/** A size for people: "696 bytes", "34 KiB", "2.5 MiB" (the window, `lifeboat show`, catalog warnings). */
export function bytesInWords(bytes: number): string {
  const MiB = 1024 * 1024;
  if (bytes >= MiB) {
    return `${Number.isInteger(bytes / MiB) ? bytes / MiB : (bytes / MiB).toFixed(1)} MiB`;
  }
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}
