import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Factory, type MadeUser } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { WorkshopFactory } from '../support/workshop-factory.js';

type Who = 'anonymous' | 'company' | 'researcher' | 'staff' | 'agency' | 'badToken';

interface Case {
  name: string;
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** A path; `:process`, `:idea`, … are replaced with the fixtures' ids. */
  path: string;
  who: Who;
  /** An object is sent as JSON; a string is sent raw as application/json. */
  body?: unknown;
  status: number;
  code: string;
}

const UNKNOWN = '3f0e2b9c-8a41-4c2e-9d0b-5b1f7d3e6a10';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ts = '2026-11-27 07:00:00.123456+00';
const q = (value: string) => encodeURIComponent(value);
const long = (n: number, ch = 'x') => ch.repeat(n);

const V = { status: 400, code: 'VALIDATION_FAILED' } as const;
const ID = { status: 400, code: 'INVALID_ID' } as const;
const CURSOR = { status: 400, code: 'INVALID_CURSOR' } as const;

const IDEAS = '/api/processes/:process/ideas';
const newIdea = (extra: Record<string, unknown>) => ({ title: 'Giltig titel', ...extra });

// One request per line: the table is the test.
// prettier-ignore
const cases: Case[] = [
  // --- submitting ideas: types, lengths, hostile text, unknown fields
  { name: 'empty body', method: 'post', path: IDEAS, who: 'company', body: {}, ...V },
  { name: 'title number', method: 'post', path: IDEAS, who: 'company', body: { title: 123 }, ...V },
  { name: 'title null', method: 'post', path: IDEAS, who: 'company', body: { title: null }, ...V },
  { name: 'title array', method: 'post', path: IDEAS, who: 'company', body: { title: ['abc'] }, ...V },
  { name: 'title object', method: 'post', path: IDEAS, who: 'company', body: { title: { $gt: '' } }, ...V },
  { name: 'title boolean', method: 'post', path: IDEAS, who: 'company', body: { title: true }, ...V },
  { name: 'title empty', method: 'post', path: IDEAS, who: 'company', body: { title: '' }, ...V },
  { name: 'title 2 chars', method: 'post', path: IDEAS, who: 'company', body: { title: 'ab' }, ...V },
  { name: 'title blank', method: 'post', path: IDEAS, who: 'company', body: { title: ' ' }, ...V },
  { name: 'title 201 chars', method: 'post', path: IDEAS, who: 'company', body: { title: long(201) }, ...V },
  { name: 'title 100k chars', method: 'post', path: IDEAS, who: 'company', body: { title: long(100000) }, ...V },
  { name: 'title NUL', method: 'post', path: IDEAS, who: 'company', body: { title: 'abc\u0000def' }, ...V },
  { name: 'title lone high surrogate', method: 'post', path: IDEAS, who: 'company', body: { title: 'abc\uD800' }, ...V },
  { name: 'title lone low surrogate', method: 'post', path: IDEAS, who: 'company', body: { title: '\uDC00abc' }, ...V },
  { name: 'body NUL', method: 'post', path: IDEAS, who: 'company', body: newIdea({ body: 'a\u0000' }), ...V },
  { name: 'body lone surrogate', method: 'post', path: IDEAS, who: 'company', body: newIdea({ body: '\uD83D' }), ...V },
  { name: 'body 10 001 chars', method: 'post', path: IDEAS, who: 'company', body: newIdea({ body: long(10001) }), ...V },
  { name: 'body number', method: 'post', path: IDEAS, who: 'company', body: newIdea({ body: 42 }), ...V },
  { name: 'body array', method: 'post', path: IDEAS, who: 'company', body: newIdea({ body: ['a'] }), ...V },
  { name: 'unknown field', method: 'post', path: IDEAS, who: 'company', body: newIdea({ voteCount: 1000 }), ...V },
  { name: 'status smuggled in', method: 'post', path: IDEAS, who: 'company', body: newIdea({ status: 'prioritised' }), ...V },
  { name: 'authorName smuggled in', method: 'post', path: IDEAS, who: 'company', body: newIdea({ authorName: 'Admin' }), ...V },
  { name: 'workshopId smuggled in', method: 'post', path: IDEAS, who: 'company', body: newIdea({ workshopId: UNKNOWN }), ...V },
  { name: '__proto__ key', method: 'post', path: IDEAS, who: 'company', body: '{"title":"Giltig titel","__proto__":{"hidden":true}}', ...V },
  { name: 'constructor key', method: 'post', path: IDEAS, who: 'company', body: '{"title":"Giltig titel","constructor":{"prototype":{"x":1}}}', ...V },
  { name: 'prototype key', method: 'post', path: IDEAS, who: 'company', body: newIdea({ prototype: {} }), ...V },
  { name: 'priorityAreaIds string', method: 'post', path: IDEAS, who: 'company', body: newIdea({ priorityAreaIds: 'abc' }), ...V },
  { name: 'priorityAreaIds not uuids', method: 'post', path: IDEAS, who: 'company', body: newIdea({ priorityAreaIds: ['x'] }), ...V },
  { name: 'priorityAreaIds numbers', method: 'post', path: IDEAS, who: 'company', body: newIdea({ priorityAreaIds: [1] }), ...V },
  { name: 'priorityAreaIds SQL', method: 'post', path: IDEAS, who: 'company', body: newIdea({ priorityAreaIds: ["' OR 1=1 --"] }), ...V },
  { name: 'priorityAreaIds 21 items', method: 'post', path: IDEAS, who: 'company', body: newIdea({ priorityAreaIds: Array(21).fill(UNKNOWN) }), ...V },
  { name: 'priority area of another region', method: 'post', path: IDEAS, who: 'company', body: newIdea({ priorityAreaIds: [':foreignArea'] }), status: 422, code: 'INVALID_PRIORITY_AREA' },
  { name: 'unknown priority area', method: 'post', path: IDEAS, who: 'company', body: newIdea({ priorityAreaIds: [UNKNOWN] }), status: 422, code: 'INVALID_PRIORITY_AREA' },
  { name: 'clientId empty', method: 'post', path: IDEAS, who: 'company', body: newIdea({ clientId: '' }), ...V },
  { name: 'clientId spaces', method: 'post', path: IDEAS, who: 'company', body: newIdea({ clientId: 'a b' }), ...V },
  { name: 'clientId 101 chars', method: 'post', path: IDEAS, who: 'company', body: newIdea({ clientId: long(101) }), ...V },
  { name: 'clientId number', method: 'post', path: IDEAS, who: 'company', body: newIdea({ clientId: 7 }), ...V },
  { name: 'clientId SQL', method: 'post', path: IDEAS, who: 'company', body: newIdea({ clientId: "x'; DROP TABLE ideas; --" }), ...V },
  { name: 'truncated JSON', method: 'post', path: IDEAS, who: 'company', body: '{"title": "abc', status: 400, code: 'INVALID_JSON' },
  { name: 'JSON array body', method: 'post', path: IDEAS, who: 'company', body: '[{"title":"Giltig titel"}]', ...V },
  { name: 'malformed process id', method: 'post', path: '/api/processes/not-a-uuid/ideas', who: 'company', body: newIdea({}), ...ID },
  { name: 'SQL as process id', method: 'post', path: `/api/processes/${q("1' OR '1'='1")}/ideas`, who: 'company', body: newIdea({}), ...ID },
  { name: 'unknown process', method: 'post', path: `/api/processes/${UNKNOWN}/ideas`, who: 'company', body: newIdea({}), status: 404, code: 'NOT_FOUND' },
  { name: 'another region’s draft', method: 'post', path: '/api/processes/:foreignDraft/ideas', who: 'company', body: newIdea({}), status: 404, code: 'NOT_FOUND' },
  { name: 'closed process', method: 'post', path: '/api/processes/:closed/ideas', who: 'company', body: newIdea({}), status: 409, code: 'PROCESS_NOT_OPEN' },
  { name: 'no token', method: 'post', path: IDEAS, who: 'anonymous', body: newIdea({}), status: 401, code: 'UNAUTHORIZED' },
  { name: 'forged token', method: 'post', path: IDEAS, who: 'badToken', body: newIdea({}), status: 401, code: 'UNAUTHORIZED' },
  { name: 'agency submits', method: 'post', path: IDEAS, who: 'agency', body: newIdea({}), status: 403, code: 'FORBIDDEN' },

  // --- changing ideas
  { name: 'patch nothing', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: {}, ...V },
  { name: 'patch unknown status', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { status: 'approved' }, ...V },
  { name: 'patch status number', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { status: 1 }, ...V },
  { name: 'patch status SQL', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { status: "merged' --" }, ...V },
  { name: 'patch status null', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { status: null }, ...V },
  { name: 'patch hidden null', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { hidden: null }, ...V },
  { name: 'patch hidden string', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { hidden: 'yes' }, ...V },
  { name: 'patch hidden number', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { hidden: 1 }, ...V },
  { name: 'patch mergedIntoId not uuid', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { status: 'merged', mergedIntoId: 'nope' }, ...V },
  { name: 'patch merged without target', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { status: 'merged' }, ...V },
  { name: 'patch merge into itself', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { status: 'merged', mergedIntoId: ':idea' }, status: 422, code: 'INVALID_MERGE_TARGET' },
  { name: 'patch merge into unknown', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { mergedIntoId: UNKNOWN }, status: 422, code: 'INVALID_MERGE_TARGET' },
  { name: 'patch title empty', method: 'patch', path: '/api/ideas/:idea', who: 'company', body: { title: '' }, ...V },
  { name: 'patch title NUL', method: 'patch', path: '/api/ideas/:idea', who: 'company', body: { title: 'ab\u0000c' }, ...V },
  { name: 'patch body too long', method: 'patch', path: '/api/ideas/:idea', who: 'company', body: { body: long(10001, 'å') }, ...V },
  { name: 'patch voteCount', method: 'patch', path: '/api/ideas/:idea', who: 'staff', body: { voteCount: 9999 }, ...V },
  { name: 'patch authorName', method: 'patch', path: '/api/ideas/:idea', who: 'company', body: { authorName: 'Någon annan' }, ...V },
  { name: 'patch __proto__', method: 'patch', path: '/api/ideas/:idea', who: 'company', body: '{"__proto__":{"status":"prioritised"}}', ...V },
  { name: 'participant sets status', method: 'patch', path: '/api/ideas/:idea', who: 'researcher', body: { status: 'prioritised' }, status: 403, code: 'FORBIDDEN' },
  { name: 'author sets status', method: 'patch', path: '/api/ideas/:idea', who: 'company', body: { status: 'prioritised' }, status: 403, code: 'FORBIDDEN' },
  { name: 'participant hides', method: 'patch', path: '/api/ideas/:idea', who: 'researcher', body: { hidden: true }, status: 403, code: 'FORBIDDEN' },
  { name: 'non-author edits', method: 'patch', path: '/api/ideas/:idea', who: 'researcher', body: { title: 'Kapad titel' }, status: 403, code: 'FORBIDDEN' },
  { name: 'patch malformed id', method: 'patch', path: '/api/ideas/12345', who: 'staff', body: { hidden: true }, ...ID },
  { name: 'patch unknown idea', method: 'patch', path: `/api/ideas/${UNKNOWN}`, who: 'staff', body: { hidden: true }, status: 404, code: 'NOT_FOUND' },
  { name: 'patch anonymous', method: 'patch', path: '/api/ideas/:idea', who: 'anonymous', body: { hidden: true }, status: 401, code: 'UNAUTHORIZED' },

  // --- votes
  { name: 'vote malformed id', method: 'put', path: '/api/ideas/not-a-uuid/vote', who: 'researcher', ...ID },
  { name: 'vote SQL id', method: 'put', path: `/api/ideas/${q("x'; DELETE FROM idea_votes; --")}/vote`, who: 'researcher', ...ID },
  { name: 'vote uuid with braces', method: 'put', path: `/api/ideas/${q(`{${UNKNOWN}}`)}/vote`, who: 'researcher', ...ID },
  { name: 'vote unknown idea', method: 'put', path: `/api/ideas/${UNKNOWN}/vote`, who: 'researcher', status: 404, code: 'NOT_FOUND' },
  { name: 'vote on closed process', method: 'put', path: '/api/ideas/:closedIdea/vote', who: 'researcher', status: 409, code: 'VOTING_CLOSED' },
  { name: 'retract on closed process', method: 'delete', path: '/api/ideas/:closedIdea/vote', who: 'researcher', status: 409, code: 'VOTING_CLOSED' },
  { name: 'staff votes', method: 'put', path: '/api/ideas/:idea/vote', who: 'staff', status: 403, code: 'FORBIDDEN' },
  { name: 'agency votes', method: 'put', path: '/api/ideas/:idea/vote', who: 'agency', status: 403, code: 'FORBIDDEN' },
  { name: 'anonymous votes', method: 'put', path: '/api/ideas/:idea/vote', who: 'anonymous', status: 401, code: 'UNAUTHORIZED' },
  { name: 'retract malformed id', method: 'delete', path: '/api/ideas/0/vote', who: 'researcher', ...ID },

  // --- comments
  { name: 'comment empty', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: '' }, ...V },
  { name: 'comment blank', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: ' \n\t ' }, ...V },
  { name: 'comment missing body', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { kind: 'comment' }, ...V },
  { name: 'comment 5 001 chars', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: long(5001) }, ...V },
  { name: 'comment NUL', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: '\u0000' }, ...V },
  { name: 'comment lone surrogate', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: 'hej \uDFFF' }, ...V },
  { name: 'comment number', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: 5 }, ...V },
  { name: 'comment unknown kind', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: 'Hej', kind: 'review' }, ...V },
  { name: 'comment parentId not uuid', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: 'Hej', parentId: 'root' }, ...V },
  { name: 'comment parent unknown', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: 'Hej', parentId: UNKNOWN }, status: 422, code: 'INVALID_PARENT' },
  { name: 'comment parent on another idea', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: 'Hej', parentId: ':otherComment' }, status: 422, code: 'INVALID_PARENT' },
  { name: 'comment unknown field', method: 'post', path: '/api/ideas/:idea/comments', who: 'researcher', body: { body: 'Hej', hidden: false }, ...V },
  { name: 'comment expertise by company', method: 'post', path: '/api/ideas/:idea/comments', who: 'company', body: { body: 'Hej', kind: 'expertise' }, status: 403, code: 'EXPERTISE_RESEARCHERS_ONLY' },
  { name: 'comment on malformed idea', method: 'post', path: '/api/ideas/abc/comments', who: 'researcher', body: { body: 'Hej' }, ...ID },
  { name: 'comment on closed process', method: 'post', path: '/api/ideas/:closedIdea/comments', who: 'researcher', body: { body: 'Hej' }, status: 409, code: 'COMMENTING_CLOSED' },
  { name: 'hide comment with string', method: 'patch', path: '/api/comments/:comment', who: 'staff', body: { hidden: 'true' }, ...V },
  { name: 'hide comment without flag', method: 'patch', path: '/api/comments/:comment', who: 'staff', body: {}, ...V },
  { name: 'hide comment malformed id', method: 'patch', path: '/api/comments/nope', who: 'staff', body: { hidden: true }, ...ID },
  { name: 'hide comment unknown', method: 'patch', path: `/api/comments/${UNKNOWN}`, who: 'staff', body: { hidden: true }, status: 404, code: 'NOT_FOUND' },
  { name: 'participant hides comment', method: 'patch', path: '/api/comments/:comment', who: 'researcher', body: { hidden: true }, status: 403, code: 'FORBIDDEN' },

  // --- idea lists: allow-listed sort and filters, validated cursors
  { name: 'sort unknown', method: 'get', path: `${IDEAS}?sort=hot`, who: 'anonymous', ...V },
  { name: 'sort column name', method: 'get', path: `${IDEAS}?sort=${q('vote_count DESC')}`, who: 'anonymous', ...V },
  { name: 'sort SQL', method: 'get', path: `${IDEAS}?sort=${q('new; DROP TABLE ideas; --')}`, who: 'anonymous', ...V },
  { name: 'sort twice', method: 'get', path: `${IDEAS}?sort=top&sort=new`, who: 'anonymous', ...V },
  { name: 'status unknown', method: 'get', path: `${IDEAS}?status=approved`, who: 'anonymous', ...V },
  { name: 'status SQL', method: 'get', path: `${IDEAS}?status=${q("submitted' OR '1'='1")}`, who: 'anonymous', ...V },
  { name: 'priorityArea not uuid', method: 'get', path: `${IDEAS}?priorityArea=energi`, who: 'anonymous', ...V },
  { name: 'limit 0', method: 'get', path: `${IDEAS}?limit=0`, who: 'anonymous', ...V },
  { name: 'limit 101', method: 'get', path: `${IDEAS}?limit=101`, who: 'anonymous', ...V },
  { name: 'limit negative', method: 'get', path: `${IDEAS}?limit=-5`, who: 'anonymous', ...V },
  { name: 'limit fraction', method: 'get', path: `${IDEAS}?limit=1.5`, who: 'anonymous', ...V },
  { name: 'limit text', method: 'get', path: `${IDEAS}?limit=all`, who: 'anonymous', ...V },
  { name: 'limit huge', method: 'get', path: `${IDEAS}?limit=99999999999999999999`, who: 'anonymous', ...V },
  { name: 'q empty', method: 'get', path: `${IDEAS}?q=`, who: 'anonymous', ...V },
  { name: 'q NUL', method: 'get', path: `${IDEAS}?q=a%00b`, who: 'anonymous', ...V },
  { name: 'q 201 chars', method: 'get', path: `${IDEAS}?q=${long(201)}`, who: 'anonymous', ...V },
  { name: 'q twice', method: 'get', path: `${IDEAS}?q=a&q=b`, who: 'anonymous', ...V },
  { name: 'q operator object', method: 'get', path: `${IDEAS}?q[$ne]=x`, who: 'anonymous', ...V },
  { name: 'unknown query key', method: 'get', path: `${IDEAS}?orderBy=title`, who: 'anonymous', ...V },
  { name: '__proto__ query key', method: 'get', path: `${IDEAS}?__proto__=x`, who: 'anonymous', ...V },
  { name: 'cursor garbage', method: 'get', path: `${IDEAS}?cursor=${q('!!not a cursor!!')}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor empty', method: 'get', path: `${IDEAS}?cursor=`, who: 'anonymous', ...CURSOR },
  { name: 'cursor huge', method: 'get', path: `${IDEAS}?cursor=${long(8000, 'A')}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor not JSON', method: 'get', path: `${IDEAS}?cursor=${Buffer.from('hello').toString('base64url')}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor JSON array', method: 'get', path: `${IDEAS}?cursor=${b64(['new', ts, UNKNOWN])}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor JSON null', method: 'get', path: `${IDEAS}?cursor=${b64(null)}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor SQL in time', method: 'get', path: `${IDEAS}?cursor=${b64({ s: 'new', t: "2026-01-01'; DROP TABLE ideas; --", i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor bad id', method: 'get', path: `${IDEAS}?cursor=${b64({ s: 'new', t: ts, i: "' OR 1=1" })}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor extra key', method: 'get', path: `${IDEAS}?cursor=${b64({ s: 'new', t: ts, i: UNKNOWN, x: 1 })}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor __proto__', method: 'get', path: `${IDEAS}?cursor=${Buffer.from(`{"s":"new","t":"${ts}","i":"${UNKNOWN}","__proto__":{"v":1}}`).toString('base64url')}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor of another sort', method: 'get', path: `${IDEAS}?sort=new&cursor=${b64({ s: 'top', t: ts, i: UNKNOWN, v: 1 })}`, who: 'anonymous', ...CURSOR },
  { name: 'top cursor without votes', method: 'get', path: `${IDEAS}?sort=top&cursor=${b64({ s: 'top', t: ts, i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'top cursor negative votes', method: 'get', path: `${IDEAS}?sort=top&cursor=${b64({ s: 'top', t: ts, i: UNKNOWN, v: -1 })}`, who: 'anonymous', ...CURSOR },
  { name: 'top cursor votes as text', method: 'get', path: `${IDEAS}?sort=top&cursor=${b64({ s: 'top', t: ts, i: UNKNOWN, v: '1; --' })}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor month 13', method: 'get', path: `${IDEAS}?cursor=${b64({ s: 'new', t: '2026-13-01 07:00:00+00', i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor 30 February', method: 'get', path: `${IDEAS}?cursor=${b64({ s: 'new', t: '2026-02-30 07:00:00+00', i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor hour 99', method: 'get', path: `${IDEAS}?cursor=${b64({ s: 'new', t: '2026-01-01 99:00:00+00', i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor year 0', method: 'get', path: `${IDEAS}?cursor=${b64({ s: 'new', t: '0000-01-01 07:00:00+00', i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'cursor offset +99', method: 'get', path: `${IDEAS}?cursor=${b64({ s: 'new', t: '2026-01-01 07:00:00+99', i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'top cursor votes over int4', method: 'get', path: `${IDEAS}?sort=top&cursor=${b64({ s: 'top', t: ts, i: UNKNOWN, v: 2 ** 31 })}`, who: 'anonymous', ...CURSOR },
  { name: 'process list cursor impossible date', method: 'get', path: `/api/processes?cursor=${b64({ s: 'new', t: '2026-99-99 00:00:00+00', i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'comments cursor impossible date', method: 'get', path: `/api/ideas/:idea/comments?cursor=${b64({ s: 'thread', t: '2026-04-31 00:00:00+00', i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'list on malformed process', method: 'get', path: '/api/processes/%27%20OR%201%3D1/ideas', who: 'anonymous', ...ID },
  { name: 'list another region’s draft', method: 'get', path: '/api/processes/:foreignDraft/ideas', who: 'staff', status: 404, code: 'NOT_FOUND' },
  { name: 'read idea malformed id', method: 'get', path: '/api/ideas/undefined', who: 'anonymous', ...ID },
  { name: 'comments limit 0', method: 'get', path: '/api/ideas/:idea/comments?limit=0', who: 'anonymous', ...V },
  { name: 'comments cursor of ideas', method: 'get', path: `/api/ideas/:idea/comments?cursor=${b64({ s: 'new', t: ts, i: UNKNOWN })}`, who: 'anonymous', ...CURSOR },
  { name: 'comments unknown query key', method: 'get', path: '/api/ideas/:idea/comments?sort=top', who: 'anonymous', ...V },
  { name: 'comments of malformed idea', method: 'get', path: '/api/ideas/null/comments', who: 'anonymous', ...ID },

  // --- processes
  { name: 'process title empty', method: 'post', path: '/api/processes', who: 'staff', body: { title: '' }, ...V },
  { name: 'process title number', method: 'post', path: '/api/processes', who: 'staff', body: { title: 12345 }, ...V },
  { name: 'process title NUL', method: 'post', path: '/api/processes', who: 'staff', body: { title: 'EDP\u00002027' }, ...V },
  // validator's Length counts a letter + variation selector as one character; the column counts two
  { name: 'process title 400 code points', method: 'post', path: '/api/processes', who: 'staff', body: { title: long(200, 'a\uFE0F') }, ...V },
  { name: 'process patch title 400 code points', method: 'patch', path: '/api/processes/:process', who: 'staff', body: { title: long(200, 'a\uFE0F') }, ...V },
  { name: 'process region lower case', method: 'post', path: '/api/processes', who: 'staff', body: { title: 'Process', regionCode: 'se224' }, ...V },
  { name: 'process region SQL', method: 'post', path: '/api/processes', who: 'staff', body: { title: 'Process', regionCode: "SE224'--" }, ...V },
  { name: 'process region of other staff', method: 'post', path: '/api/processes', who: 'staff', body: { title: 'Process', regionCode: 'SE110' }, status: 403, code: 'FORBIDDEN' },
  { name: 'process phase on create', method: 'post', path: '/api/processes', who: 'staff', body: { title: 'Process', phase: 'open' }, ...V },
  { name: 'process areas not uuids', method: 'post', path: '/api/processes', who: 'staff', body: { title: 'Process', priorityAreaIds: ['x'] }, ...V },
  { name: 'process by company', method: 'post', path: '/api/processes', who: 'company', body: { title: 'Process' }, status: 403, code: 'FORBIDDEN' },
  { name: 'process patch phase unknown', method: 'patch', path: '/api/processes/:process', who: 'staff', body: { phase: 'archived' }, ...V },
  { name: 'process patch back to draft', method: 'patch', path: '/api/processes/:process', who: 'staff', body: { phase: 'draft' }, status: 409, code: 'INVALID_PHASE_TRANSITION' },
  { name: 'process patch title null', method: 'patch', path: '/api/processes/:process', who: 'staff', body: { title: null }, ...V },
  { name: 'process patch description null', method: 'patch', path: '/api/processes/:process', who: 'staff', body: { description: null }, ...V },
  { name: 'process patch nothing', method: 'patch', path: '/api/processes/:process', who: 'staff', body: {}, ...V },
  { name: 'process patch region', method: 'patch', path: '/api/processes/:process', who: 'staff', body: { regionCode: 'SE110' }, ...V },
  { name: 'process patch other region draft', method: 'patch', path: '/api/processes/:foreignDraft', who: 'staff', body: { phase: 'open' }, status: 404, code: 'NOT_FOUND' },
  { name: 'process list phase unknown', method: 'get', path: '/api/processes?phase=archived', who: 'anonymous', ...V },
  { name: 'process list region SQL', method: 'get', path: `/api/processes?region=${q("SE224' OR 'x'='x")}`, who: 'anonymous', ...V },
  { name: 'process list limit 1000', method: 'get', path: '/api/processes?limit=1000', who: 'anonymous', ...V },
  { name: 'process list cursor garbage', method: 'get', path: '/api/processes?cursor=%25%25%25', who: 'anonymous', ...CURSOR },
  { name: 'process malformed id', method: 'get', path: '/api/processes/00000000-0000-0000-0000', who: 'anonymous', ...ID },

  // --- priority areas
  { name: 'area name empty', method: 'post', path: '/api/regions/SE224/priority-areas', who: 'staff', body: { name: '' }, ...V },
  { name: 'area name NUL', method: 'post', path: '/api/regions/SE224/priority-areas', who: 'staff', body: { name: 'Ener\u0000gi' }, ...V },
  { name: 'area name 121 chars', method: 'post', path: '/api/regions/SE224/priority-areas', who: 'staff', body: { name: long(121) }, ...V },
  { name: 'area name 240 code points', method: 'post', path: '/api/regions/SE224/priority-areas', who: 'staff', body: { name: long(120, 'a\uFE0F') }, ...V },
  { name: 'area nace string', method: 'post', path: '/api/regions/SE224/priority-areas', who: 'staff', body: { name: 'Energi', naceCodes: 'C21' }, ...V },
  { name: 'area nace SQL', method: 'post', path: '/api/regions/SE224/priority-areas', who: 'staff', body: { name: 'Energi', naceCodes: ['DROP TABLE'] }, ...V },
  { name: 'area region lower case', method: 'post', path: '/api/regions/se224/priority-areas', who: 'staff', body: { name: 'Energi' }, status: 400, code: 'INVALID_REGION_CODE' },
  { name: 'area region SQL', method: 'get', path: `/api/regions/${q("SE224' OR '1'='1")}/priority-areas`, who: 'anonymous', status: 400, code: 'INVALID_REGION_CODE' },
  { name: 'area other region', method: 'post', path: '/api/regions/SE110/priority-areas', who: 'staff', body: { name: 'Energi' }, status: 403, code: 'FORBIDDEN' },

  // --- export and audit
  { name: 'export unknown format', method: 'get', path: '/api/processes/:process/export?format=xlsx', who: 'staff', ...V },
  { name: 'export format twice', method: 'get', path: '/api/processes/:process/export?format=csv&format=json', who: 'staff', ...V },
  { name: 'export by participant', method: 'get', path: '/api/processes/:process/export', who: 'company', status: 403, code: 'FORBIDDEN' },
  { name: 'export malformed id', method: 'get', path: '/api/processes/x/export', who: 'staff', ...ID },
  { name: 'audit limit 0', method: 'get', path: '/api/processes/:process/audit?limit=0', who: 'staff', ...V },
  { name: 'audit cursor garbage', method: 'get', path: '/api/processes/:process/audit?cursor=%7B%7D', who: 'staff', ...CURSOR },
  { name: 'audit by participant', method: 'get', path: '/api/processes/:process/audit', who: 'researcher', status: 403, code: 'FORBIDDEN' },
];

describe('bad input: hostile requests get a stable 4xx and change nothing', () => {
  let t: TestApp;
  let users: Record<Exclude<Who, 'anonymous' | 'badToken'>, MadeUser>;
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    const f = new Factory(t);
    const w = new WorkshopFactory(t);
    users = {
      company: await f.user({ role: 'company' }),
      researcher: await f.user({ role: 'researcher' }),
      staff: await f.user({ role: 'region', regionCode: 'SE224' }),
      agency: await f.user({ role: 'agency' }),
    };
    const process = await w.process();
    const closed = await w.process();
    const foreignDraft = await w.process({ regionCode: 'SE110', phase: 'draft' });
    const foreignArea = await w.priorityArea('SE110');
    const idea = await w.idea(users.company, process.id, { title: 'Måltavlan' });
    const other = await w.idea(users.company, process.id, { title: 'Grannen' });
    const closedIdea = await w.idea(users.company, closed.id, { title: 'Stängd' });
    await t.http().put(`/api/ideas/${closedIdea.id}/vote`).set(users.researcher.auth).expect(200);
    await w.setPhase(closed.id, 'closed');
    const comment = await t
      .http()
      .post(`/api/ideas/${idea.id}/comments`)
      .set(users.researcher.auth)
      .send({ body: 'Första kommentaren' })
      .expect(201);
    const otherComment = await t
      .http()
      .post(`/api/ideas/${other.id}/comments`)
      .set(users.researcher.auth)
      .send({ body: 'På grannen' })
      .expect(201);
    ids = {
      process: process.id,
      closed: closed.id,
      foreignDraft: foreignDraft.id,
      foreignArea: foreignArea.id,
      idea: idea.id,
      closedIdea: closedIdea.id,
      comment: comment.body.id,
      otherComment: otherComment.body.id,
    };
  });
  afterAll(async () => {
    await t.close();
  });

  const fill = (text: string) =>
    text.replace(/:([a-zA-Z]+)/g, (match, key: string) => ids[key] ?? match);

  it(`has at least 100 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('answers every case with its 4xx and code, never a 500, and no row changes', async () => {
    const w = new WorkshopFactory(t);
    const before = await w.snapshot();
    const failures: string[] = [];
    for (const c of cases) {
      let req = t.http()[c.method](fill(c.path));
      if (c.who === 'badToken') req = req.set('Authorization', 'Bearer not.a.valid-token');
      else if (c.who !== 'anonymous') req = req.set(users[c.who].auth);
      if (typeof c.body === 'string')
        req = req.set('content-type', 'application/json').send(c.body);
      else if (c.body !== undefined)
        req = req.send(JSON.parse(fill(JSON.stringify(c.body))) as object);
      const res = await req;
      const body = res.body as { statusCode?: number; code?: string; message?: unknown };
      const ok =
        res.status === c.status &&
        body.code === c.code &&
        body.statusCode === c.status &&
        typeof body.message === 'string' &&
        !/at \w+ \(|node_modules|SELECT|INSERT|QueryFailedError/.test(res.text);
      if (!ok) failures.push(`${c.name}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await w.snapshot()).toEqual(before);
  });
});
