import { useEffect, useRef, type RefObject } from "react";
import { useLocation } from "react-router";

/**
 * After a navigation to another page, the focus goes to the new page's `<h1>`, as GOV.UK and
 * React Router advise for single-page apps: a screen reader says where the user now is (a
 * changed `<title>` is not read out), and Tab goes on from the top of the page, not from
 * the page's body. The first load leaves the focus to the browser, and a change of the query
 * string alone (a list's filters, its pages) leaves it on the control that made it. A page
 * whose heading comes once its data is read is waited for, unless it has put the focus
 * somewhere in `main` itself meanwhile (a field, a line saying what was done).
 */
export function useFocusOnNavigation(main: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const shown = useRef(pathname);
  useEffect(() => {
    const root = main.current;
    if (shown.current === pathname || !root) return;
    shown.current = pathname;
    const focusHeading = () => {
      const active = document.activeElement;
      if (active && active !== root && root.contains(active)) return true;
      const heading = root.querySelector("h1");
      if (!heading) return false;
      // Focusable from a script only, and never a tab stop.
      if (!heading.hasAttribute("tabindex")) heading.tabIndex = -1;
      heading.focus();
      return true;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [pathname, main]);
}
