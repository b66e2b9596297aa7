/** A dialog form's buttons: its submit (named for what it does) and Cancel. */
export function FormActions({
  submitLabel,
  disabled,
  onCancel,
  cancelLabel = 'Cancel',
}: {
  submitLabel: string;
  disabled?: boolean;
  onCancel(): void;
  cancelLabel?: string;
}) {
  return (
    <div className="dialog-actions">
      <button type="submit" className="primary" disabled={disabled}>
        {submitLabel}
      </button>
      <button type="button" onClick={onCancel}>
        {cancelLabel}
      </button>
    </div>
  );
}
