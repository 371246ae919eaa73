/**
 * The comment box of a move through the workflow (a record's transition, a bulk move): why,
 * kept in the history, and what a guard's veto said of it (`commentRefusal`), right under it.
 */
import { useId, type Ref } from "react";

import { FieldMessages } from "@/components/FormMessages";
import { inputClass, labelClass } from "@/components/styles";

export function MoveComment({
  ref,
  label,
  value,
  refusal,
  onChange,
}: {
  ref?: Ref<HTMLTextAreaElement>;
  label: string;
  value: string;
  /** The guard's messages about the comment ("A reason is required to reject."). */
  refusal: string[];
  onChange: (value: string) => void;
}) {
  const id = useId();
  const refused = refusal.length > 0;
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <textarea
        ref={ref}
        id={id}
        rows={2}
        className={`${inputClass} mt-1`}
        value={value}
        aria-invalid={refused}
        aria-describedby={`${id}-errors`}
        onChange={(event) => onChange(event.target.value)}
      />
      <FieldMessages id={`${id}-errors`} messages={refusal} />
    </div>
  );
}
