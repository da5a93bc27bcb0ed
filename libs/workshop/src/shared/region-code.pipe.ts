import { Injectable, type PipeTransform } from '@nestjs/common';
import { AppException } from '@edp/common';

/** NUTS codes are short and upper case; anything else is refused before it reaches SQL. */
@Injectable()
export class RegionCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[A-Z]{2}[A-Z0-9]{0,8}$/.test(value)) {
      throw AppException.badRequest('INVALID_REGION_CODE', 'Not a region code');
    }
    return value;
  }
}
