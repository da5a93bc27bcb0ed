import { Param, ParseUUIDPipe } from '@nestjs/common';
import { AppException } from '@edp/common';

/** A path id that must be a UUID: anything else is 400 before a query is built. */
export const UuidParam = (name = 'id') =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => AppException.badRequest('INVALID_ID', `${name} must be a UUID`),
    }),
  );
