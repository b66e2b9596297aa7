import type { ReactNode } from 'react';

/**
 * A row or list action drawn as a link. `label` is its accessible name when the visible text alone
 * is ambiguous (every row has a "Modify"): it names the action and the resource, e.g. `Modify vpc-…`.
 */
export function LinkButton({
  label,
  onClick,
  disabled,
  danger,
  children,
}: {
  label?: string;
  onClick(): void;
  disabled?: boolean;
  /** Drawn in the danger colour: the action removes something. */
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className={danger ? 'link danger' : 'link'} aria-label={label} onClick={onClick} disabled={disabled}>
      {children}
    </button>
  );
}
