import type { ReactNode } from 'react';

interface CheckoutFieldProps {
  /** Element id of the control; the error paragraph is `${id}-error`. */
  id: string;
  label: string;
  /** The message under the field when it needs fixing. */
  error?: string;
  /** The control, given `id`, `aria-invalid` and `aria-describedby` by the caller through `controlProps`. */
  children: (controlProps: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}

/** A labelled form control with its error message underneath, tied to it by `aria-describedby`. */
export default function CheckoutField({ id, label, error, children }: CheckoutFieldProps) {
  const errorId = `${id}-error`;
  return (
    <div className={error ? 'checkout-field checkout-field-invalid' : 'checkout-field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': error ? errorId : undefined })}
      {error && (
        <p id={errorId} className="checkout-field-error">
          {error}
        </p>
      )}
    </div>
  );
}
