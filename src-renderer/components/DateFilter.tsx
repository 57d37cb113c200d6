// The day picker of the Sales and Reports headers: a dd/mm/aaaa field with "Ver", and "Actualizar" beside it.
import type { RefObject } from 'react';

export function DateFilter(props: {
  text: string;
  invalid: boolean;
  testId: string;
  inputRef?: RefObject<HTMLInputElement | null>;
  onText: (text: string) => void;
  onApply: () => void;
  onRefresh: () => void;
}) {
  return (
    <>
      <form
        className="inline-field"
        onSubmit={(e) => {
          e.preventDefault();
          props.onApply();
        }}
      >
        <label className="inline-field">
          <span>Fecha (dd/mm/aaaa)</span>
          <input
            ref={props.inputRef}
            className="date-input"
            inputMode="numeric"
            value={props.text}
            onChange={(e) => props.onText(e.target.value)}
            data-testid={props.testId}
            aria-invalid={props.invalid}
          />
        </label>
        <button className="btn" type="submit">
          Ver
        </button>
      </form>
      <button className="btn" onClick={props.onRefresh}>
        Actualizar
      </button>
    </>
  );
}
