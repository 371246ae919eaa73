/** A form's person field: who is chosen, by name, and a picker to choose someone (else). */
import { useUser } from "./api";
import { personLabel } from "./names";
import { PersonName } from "./PersonName";
import { UserPicker } from "./UserPicker";

export function UserField({
  id,
  value,
  required,
  describedBy,
  invalid,
  onChange,
  onTextChange,
}: {
  /** The picker's id, for the field's label. */
  id: string;
  /** The chosen person's id, "" for no one. */
  value: string;
  required: boolean;
  /** The ids of the elements that describe the picker (a hint, errors). */
  describedBy?: string;
  invalid?: boolean;
  onChange: (value: string) => void;
  /** The picker's text as typed, "" once someone is picked. */
  onTextChange?: (text: string) => void;
}) {
  const user = useUser(value || null);
  return (
    <div className="flex flex-col gap-1">
      {value && (
        <p className="flex items-center gap-2 text-sm" data-testid={`${id}-chosen`}>
          {user.data ? (
            <PersonName person={user.data} />
          ) : (
            <span>{personLabel(value, undefined)}</span>
          )}
          {!required && (
            <button
              type="button"
              className="text-xs text-indigo-700 underline"
              onClick={() => onChange("")}
            >
              Remove
            </button>
          )}
        </p>
      )}
      <UserPicker
        id={id}
        placeholder={value ? "Choose someone else" : "Type a name"}
        describedBy={describedBy}
        invalid={invalid}
        onPick={(picked) => onChange(String(picked.id))}
        onTextChange={onTextChange}
      />
    </div>
  );
}
