import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in one transaction. Code inside must use the given manager only: the
 * embedded database is a single session, so a query through a global repository would wait forever.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(work);
}
