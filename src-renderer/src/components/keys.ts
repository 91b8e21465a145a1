import { useEffect, useRef } from 'react';

/** Whether a key press is typing into a field (then `/` is a character, not a shortcut). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** Esc closes whatever passes `onEscape` while `active` (confirmations, reports, notices). */
export function useEscape(onEscape: (() => void) | undefined, active = true): void {
  const ref = useRef(onEscape);
  useEffect(() => {
    ref.current = onEscape;
  });
  const enabled = active && onEscape !== undefined;
  useEffect(() => {
    if (!enabled) return;
    const on = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') ref.current?.();
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [enabled]);
}

/** `/` anywhere but in a field focuses the page's filter box, as in mail and code tools. */
export function useSlashFocusesFilter(): void {
  useEffect(() => {
    const on = (e: KeyboardEvent): void => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const filter = document.querySelector<HTMLInputElement>('main input.filter');
      if (!filter) return;
      e.preventDefault();
      filter.focus();
      filter.select();
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);
}
