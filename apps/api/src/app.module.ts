import { DynamicModule, Global, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { APP_CONFIG, type AppConfig } from '@edp/common';
import { DatabaseModule, type DatabaseModuleOptions } from '@edp/database';
import { AuthModule } from '@edp/auth';
import { WorkshopModule } from '@edp/workshop';
import { RealtimeModule } from '@edp/realtime';
import { InsightModule } from '@edp/insight';
import { HealthController } from './health/health.controller.js';

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        EventEmitterModule.forRoot(),
        DatabaseModule.forRoot(database),
        AuthModule,
        WorkshopModule,
        RealtimeModule,
        InsightModule,
      ],
      controllers: [HealthController],
    };
  }
}
