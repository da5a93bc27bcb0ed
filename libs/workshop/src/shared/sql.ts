import type { EntityManager } from 'typeorm';

export interface SqlResult<T> {
  rows: T[];
  /** Rows affected (INSERT/UPDATE/DELETE) or returned (SELECT). */
  count: number;
}

/**
 * Plain SQL with the same result shape for every statement (TypeORM returns `[rows, count]`
 * for UPDATE/DELETE and bare rows otherwise). Inside a transaction it uses the
 * transaction's connection, which the single-session embedded database requires.
 */
export async function sql<T = Record<string, unknown>>(
  manager: EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<SqlResult<T>> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(text, params, true);
    const rows = (result.records ?? []) as T[];
    return { rows, count: result.affected ?? rows.length };
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/** PostgreSQL unique_violation, optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driver = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  const code = driver?.code ?? (error as { code?: string }).code;
  if (code !== '23505') return false;
  const name = driver?.constraint ?? (error as { constraint?: string }).constraint;
  return constraint === undefined || name === constraint;
}
