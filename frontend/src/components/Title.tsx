/** The browser tab's title for a page (React puts a `<title>` in the document's head). */
export function Title({ children }: { children: string }) {
  return <title>{`${children} · Toolsuite`}</title>;
}
