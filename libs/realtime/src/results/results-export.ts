import type { RankedIdea } from './results.service.js';

/** Spreadsheet apps run a cell that starts with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HEADER = [
  'rank',
  'votes',
  'title',
  'body',
  'status',
  'author',
  'helix',
  'comments',
  'idea_id',
  'created_at',
];

/** UTF-8 with a BOM (Excel reads å ä ö) and CRLF, like the process export. */
export function resultsCsv(ranked: RankedIdea[]): string {
  const rows = ranked.map(({ idea, voteCount, rank }) => [
    rank,
    voteCount,
    idea.title,
    idea.body,
    idea.status,
    idea.authorName,
    idea.helix,
    idea.commentCount,
    idea.id,
    idea.createdAt,
  ]);
  return `\uFEFF${[HEADER, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
