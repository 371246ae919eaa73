/** Sizes of files in words, as the API says them: decimal units, "31 MB", "2.5 MB". */
const UNITS = [
  ["GB", 1e9],
  ["MB", 1e6],
  ["KB", 1e3],
] as const;

export function formatSize(bytes: number): string {
  for (const [unit, factor] of UNITS) {
    if (bytes >= factor) {
      const value = bytes / factor;
      const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, "") : value.toFixed(0);
      return `${shown} ${unit}`;
    }
  }
  return bytes === 1 ? "1 byte" : `${bytes} bytes`;
}

/** Why `file` cannot be uploaded before it is sent, in the API's words; null when it may be. */
export function uploadRefusal(file: File, maxBytes: number | undefined): string | null {
  if (maxBytes !== undefined && file.size > maxBytes) {
    return `${file.name} is ${formatSize(file.size)}; the limit is ${formatSize(maxBytes)}.`;
  }
  return null;
}
