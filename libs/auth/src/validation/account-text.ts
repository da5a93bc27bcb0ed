import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** The one form an e-mail address is stored and looked up in: trimmed, NFC, lower case. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase().normalize('NFC');
}

export const NormalizeEmail = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalizeEmail(value) : value,
  );

/** Counts code points as PostgreSQL's varchar(n) does, so a valid value always fits its column. */
export function CodePoints(min: number, max: number, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'codePoints',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const length = [...value].length;
          return length >= min && length <= max;
        },
        defaultMessage: (args) => `${args?.property} must be ${min}–${max} characters`,
      },
    },
    options,
  );
}

/** Display names: something visible, not only spaces. */
export const NOT_BLANK = /\S/;
