import { useState, type MouseEvent } from "react";

/**
 * The state of a menu that a button opens: spread `buttonProps` on the button and `menuProps` on
 * the Menu; `close` after a choice.
 */
export function useMenuAnchor() {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const close = () => setAnchor(null);
  const open = anchor !== null;
  return {
    open,
    close,
    buttonProps: {
      "aria-haspopup": "menu",
      "aria-expanded": open ? "true" : undefined,
      onClick: (event: MouseEvent<HTMLElement>) => setAnchor(event.currentTarget),
    } as const,
    menuProps: { anchorEl: anchor, open, onClose: close },
  };
}
