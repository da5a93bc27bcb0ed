import { Transform } from 'class-transformer';
import { ValidationOptions, registerDecorator } from 'class-validator';

/** Text is stored as NFC so that å typed on a Mac and on Windows is the same string. */
export const NormalizeText = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.normalize('NFC') : value,
  );

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isCleanText(value: unknown): boolean {
  return typeof value === 'string' && !NUL.test(value) && !LONE_SURROGATE.test(value);
}

/** NUL characters and lone surrogates are refused, never silently stripped (API.md, Limits). */
export function IsCleanText(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCleanText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `${String(propertyName)} contains NUL or an unpaired surrogate`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => value === undefined || value === null || isCleanText(value),
      },
    });
  };
}
