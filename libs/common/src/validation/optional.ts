import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * Like `IsOptional`, except that only an absent field skips validation: an explicit `null`
 * is validated, and refused. `IsOptional` let `{ "title": null }` through to a NOT NULL
 * column (a 500); for fields where null means something, keep `IsOptional`.
 */
export const IsOptionalNotNull = (options?: ValidationOptions): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined, options);
