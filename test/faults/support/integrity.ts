import { PGlite } from '@electric-sql/pglite';
import { amcheck } from '@electric-sql/pglite/contrib/amcheck';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/**
 * Opens an embedded DATA_DIR (no server may hold it) and checks every B-tree index of the
 * platform's tables against its heap with amcheck: a torn page or a lost index entry after
 * a crash shows up here, not months later.
 */
export async function embeddedIndexProblems(
  dataDir: string,
): Promise<{ indexes: number; problems: string[] }> {
  const db = await PGlite.create({ dataDir, extensions: { amcheck, pg_trgm } });
  const problems: string[] = [];
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS amcheck');
    const { rows } = await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       JOIN pg_am a ON a.oid = c.relam
       WHERE a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace`,
    );
    for (const { name } of rows) {
      try {
        await db.query(`SELECT bt_index_check($1::regclass, true)`, [`public."${name}"`]);
      } catch (error) {
        problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { indexes: rows.length, problems };
  } finally {
    await db.close();
  }
}
