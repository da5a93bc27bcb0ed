import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import * as payloads from '../../libs/realtime/src/live/dto/live-payloads.dto.js';
import { parsePayload } from '../../libs/realtime/src/live/live-ack.js';

/**
 * Socket payloads are validated with validateSync (see parsePayload), which skips an async
 * constraint without a word: a payload with one would pass unchecked.
 */
describe('live payloads', () => {
  const storage = getMetadataStorage();
  const classes: [string, new () => object][] = Object.entries(payloads);

  it('have only synchronous constraints', () => {
    expect(classes.length).toBeGreaterThanOrEqual(8);
    const asynchronous = classes.flatMap(([name, type]) =>
      storage
        .getTargetValidationMetadatas(type, '', false, false)
        .filter(
          (metadata) =>
            metadata.constraintCls &&
            storage
              .getTargetValidatorConstraints(metadata.constraintCls)
              .some((constraint) => constraint.async),
        )
        .map((metadata) => `${name}.${metadata.propertyName}`),
    );
    expect(asynchronous).toEqual([]);
  });

  it('are checked and normalised by parsePayload', () => {
    const workshopId = '0b7f1c9e-4d1a-4c57-9a43-2f1d5a3c8e10';
    const title = 'Fo\u0308rnybar va\u0308tgas i Lulea\u030a';
    const idea = parsePayload(payloads.SubmitIdeaPayload, { workshopId, title, clientId: 'c1' });
    expect(idea.title).toBe('Förnybar vätgas i Luleå'.normalize('NFC'));
    expect(() => parsePayload(payloads.CastVotePayload, { workshopId, clientId: 'c1' })).toThrow(
      expect.objectContaining({ code: 'INVALID' }),
    );
    expect(() =>
      parsePayload(payloads.CastVotePayload, {
        workshopId,
        ideaId: workshopId,
        clientId: 'c1',
        extra: true,
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID' }));
  });
});
