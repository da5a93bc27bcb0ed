import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { WorkshopEventPayloads } from './workshop.events.js';

/**
 * Called only after commit. A failing listener is logged, never surfaced: the write has
 * already happened and the caller must get its result.
 */
@Injectable()
export class WorkshopEventsPublisher {
  private readonly logger = new Logger('WorkshopEvents');

  constructor(private readonly emitter: EventEmitter2) {}

  publish<K extends keyof WorkshopEventPayloads>(name: K, payload: WorkshopEventPayloads[K]): void {
    try {
      this.emitter.emit(name, payload);
    } catch (error) {
      this.logger.error(`listener of ${name} failed: ${String(error)}`);
    }
  }
}
