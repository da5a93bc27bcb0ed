/** Messages between the runner and its load-generator threads. */
export type WorkerRequest =
  | {
      type: 'init';
      workshopId: string;
      ideaIds: string[];
      clients: { url: string; token: string }[];
      concurrency: number;
    }
  | {
      type: 'votes';
      step: string;
      rate: number;
      durationMs: number;
      /** All votes on this idea index, or spread at random when null. */
      hotIdea: number | null;
      clientOffset: number;
    }
  | {
      type: 'fanout';
      step: string;
      rate: number;
      durationMs: number;
      clientOffset: number;
    }
  | { type: 'collect' }
  | { type: 'counters' }
  | { type: 'verify'; expected: number[] }
  | { type: 'close' };

export interface ScheduleResult {
  planned: number;
  sendMs: number;
  /** How far the thread fell behind its send schedule. */
  maxLagMs: number;
  /** Event-loop utilisation of the generator thread (1 = saturated). */
  elu: number;
  eventLoopP99Ms: number;
}

export type WorkerReply =
  | { type: 'ready'; connected: number; failed: number; firstError: string | null; ms: number }
  | (ScheduleResult & {
      type: 'votes-done';
      idea: Int32Array;
      count: Int32Array;
      sendT: Float64Array;
      ackT: Float64Array;
      /** 0 accepted, 1 refused, 2 no answer. */
      status: Uint8Array;
      errors: Record<string, number>;
    })
  | (ScheduleResult & {
      type: 'fanout-done';
      sent: { marker: string; sendT: number; ok: boolean }[];
      errors: Record<string, number>;
    })
  | {
      type: 'collected';
      seen: Float64Array[];
      minKnown: Int32Array;
      received: { marker: string; n: number; maxT: number }[];
    }
  | { type: 'counters'; events: number; acks: number }
  | { type: 'verified'; mismatched: number; example: string | null }
  | { type: 'closed' }
  | { type: 'error'; message: string };
