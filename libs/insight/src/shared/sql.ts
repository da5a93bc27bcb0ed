import type { DataSource, EntityManager } from 'typeorm';

/**
 * Plain SQL returning rows for every kind of statement (TypeORM returns `[rows, count]` for
 * UPDATE … RETURNING). Inside a transaction pass its manager: the embedded database is one session.
 */
export async function rows<T>(
  db: DataSource | EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const manager = 'manager' in db ? db.manager : db;
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(text, params, true);
    return (result.records ?? []) as T[];
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/** PostgreSQL unique_violation of the named constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  return driver?.code === '23505' && driver.constraint === constraint;
}
