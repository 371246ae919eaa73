/**
 * A modal dialog, open for as long as it is mounted. It is the browser's own (`showModal`:
 * the page behind is inert and focus stays inside, Escape asks to close), named by its
 * title; focus moves in when it opens and goes back to what had it when it closes.
 */
import { useId, useLayoutEffect, useRef, type ReactNode, type RefObject } from "react";

export function Dialog({
  title,
  description,
  onClose,
  dismissible = true,
  initialFocus,
  children,
}: {
  title: string;
  /** Read with the title when the dialog opens (its `aria-describedby`): a sentence, or a list. */
  description?: ReactNode;
  /** The user asked to close (Escape): the owner unmounts the dialog. */
  onClose: () => void;
  /** False while closing would abandon work under way: Escape is then ignored. */
  dismissible?: boolean;
  /** What has focus on opening; else the browser's choice (the first control). */
  initialFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // A layout effect: the dialog closes, and focus goes back, before the page under it changes.
  useLayoutEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element?.showModal();
    initialFocus?.current?.focus();
    return () => {
      element?.close();
      opener?.focus();
    };
  }, [initialFocus]);
  // The page's margin on either side on a phone, as the page's own content has.
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      className="m-auto w-[calc(100%-3rem)] max-w-xl rounded-lg bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      onCancel={(event) => {
        event.preventDefault();
        if (dismissible) onClose();
      }}
      // The browser may close it without a cancelable `cancel` (Escape pressed twice with no
      // click between): the owner follows. A close this component made (on unmounting, or
      // React's development remount) finds it open again or gone, and is not the user's.
      onClose={(event) => {
        if (!event.currentTarget.open) onClose();
      }}
    >
      <h2 id={titleId} className="text-lg font-semibold">
        {title}
      </h2>
      {description && (
        <div id={descriptionId} className="mt-1 text-sm text-slate-500">
          {description}
        </div>
      )}
      <div className="mt-4">{children}</div>
    </dialog>
  );
}
