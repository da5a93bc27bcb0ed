import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** A–Z and 2–9 without I, L, O (and so without 0 and 1): nothing to misread on a projector. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

/** Random join codes; a class so a test can force a collision. */
@Injectable()
export class JoinCodes {
  next(): string {
    let code = '';
    for (let i = 0; i < JOIN_CODE_LENGTH; i++) {
      code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
    }
    return code;
  }

  /** What a person typed, as stored: upper case, spaces and dashes dropped; null if it cannot be a code. */
  normalise(typed: string): string | null {
    const code = typed.normalize('NFC').toUpperCase().replace(/[\s-]/g, '');
    return new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`).test(code) ? code : null;
  }
}
