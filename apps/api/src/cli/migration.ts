import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@edp/common';
import { AppModule } from '../app.module.js';

/**
 * `npm run migration:generate -- <Name>`: boots the platform on a throwaway database (or
 * DATABASE_URL), replays the existing migrations and writes what the entities still need.
 * `npm run migration:run`: applies pending migrations to the configured database.
 */
async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const env = { ...process.env };
  if (command === 'generate' && !env.DATABASE_URL) env.DATA_DIR = 'memory://';
  const config = loadConfig(env);
  if (command === 'generate' && !config.databaseUrl) config.dataDir = 'memory://';
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  const dataSource = app.get<DataSource>(getDataSourceToken());
  try {
    if (command === 'run') {
      process.stdout.write('Migrations are up to date.\n');
      return;
    }
    if (command !== 'generate' || !name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
      throw new Error('usage: migration generate <PascalCaseName> | migration run');
    }
    const sql = await dataSource.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) {
      process.stdout.write('No changes: the entities match the migrations.\n');
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const line = (query: { query: string; parameters?: unknown[] }) =>
      `    await queryRunner.query(\`${query.query.replace(/`/g, '\\`')}\`${query.parameters?.length ? `, ${JSON.stringify(query.parameters)}` : ''});`;
    const source = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${sql.upQueries.map(line).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${sql.downQueries.reverse().map(line).join('\n')}
  }
}
`;
    const file = join(
      process.cwd(),
      'libs/database/src/migrations',
      `${timestamp}-${kebab(name)}.ts`,
    );
    writeFileSync(file, source);
    process.stdout.write(
      `Wrote ${file}\nAdd ${className} to libs/database/src/migrations/index.ts.\n`,
    );
  } finally {
    await app.close();
  }
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
