import type { ReactNode } from 'react';

/**
 * A table in a horizontally scrollable box. The box is a focusable, named region, so a keyboard
 * user can scroll it (axe's scrollable-region-focusable): while a table has no rows yet, or its
 * cells hold nothing focusable, nothing inside it could take the focus instead.
 */
export function ScrollTable({ caption, className, children }: { caption: string; className?: string; children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`${caption}, scrollable`}>
      <table className={className}>
        <caption className="visually-hidden">{caption}</caption>
        {children}
      </table>
    </div>
  );
}
