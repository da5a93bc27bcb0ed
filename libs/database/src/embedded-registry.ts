import type { PGlite } from '@electric-sql/pglite';
import type { DataSource } from 'typeorm';

const embedded = new WeakMap<DataSource, PGlite>();

export function rememberEmbeddedDatabase(dataSource: DataSource, pglite: PGlite): void {
  embedded.set(dataSource, pglite);
}

export function embeddedDatabaseOf(dataSource: DataSource): PGlite | null {
  return embedded.get(dataSource) ?? null;
}
