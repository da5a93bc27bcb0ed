import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@edp/common';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSource } from './data-source.factory.js';
import { runMigrations } from './migrate.js';
import { DatabaseHealth } from './database.health.js';
import { embeddedDatabaseOf, rememberEmbeddedDatabase } from './embedded-registry.js';

export interface DatabaseModuleOptions {
  /** Start the embedded database from this migrated snapshot (tests). */
  embeddedSnapshot?: Blob;
  poolSize?: number;
}

type EdpTypeOrmOptions = DataSourceOptions & { edp: { config: AppConfig } & DatabaseModuleOptions };

/** Closes the in-process database after TypeORM has let go of it. */
@Injectable()
export class EmbeddedDatabaseCloser implements OnApplicationShutdown {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    const pglite = embeddedDatabaseOf(this.dataSource);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    if (pglite && !pglite.closed) await pglite.close();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          // The options carry the platform config through to the factory below.
          useFactory: (config: AppConfig) =>
            ({
              type: 'postgres',
              autoLoadEntities: true,
              entities: [],
              edp: { config, ...options },
            }) as EdpTypeOrmOptions,
          dataSourceFactory: async (typeormOptions?: DataSourceOptions): Promise<DataSource> => {
            const { edp, entities } = typeormOptions as EdpTypeOrmOptions;
            const { dataSource, pglite } = await buildDataSource({
              databaseUrl: edp.config.databaseUrl,
              dataDir: edp.config.dataDir,
              statementTimeoutMs: edp.config.statementTimeoutMs,
              embeddedSnapshot: edp.embeddedSnapshot,
              poolSize: edp.poolSize,
              entities: entities ?? [],
            });
            await dataSource.initialize();
            if (pglite) rememberEmbeddedDatabase(dataSource, pglite);
            await runMigrations(dataSource);
            return dataSource;
          },
        }),
      ],
      providers: [DatabaseHealth, EmbeddedDatabaseCloser],
      exports: [DatabaseHealth],
    };
  }
}
