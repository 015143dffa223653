/** Problems with a form, keyed by its fields, each said the way the person filling it in would say it. */
export type FieldErrors<Field extends string> = Partial<Record<Field, string>>;

export type Validated<Field extends string, T> =
  | { ok: true; value: T }
  | { ok: false; errors: FieldErrors<Field>; reason?: undefined };

export function hasErrors<Field extends string>(errors: FieldErrors<Field>): boolean {
  return Object.keys(errors).length > 0;
}
