import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { session } from './session.js';
import { LiveConnection, type LiveError, type LiveStatus } from './live.js';
import type { Comment, Idea, JoinSnapshot, Workshop } from './types.js';

export interface LiveState {
  workshop: Workshop | null;
  ideas: Idea[];
  me: JoinSnapshot['me'] | null;
  status: LiveStatus;
  error: LiveError | null;
}

export interface LiveCallbacks {
  onIdeaCreated?(idea: Idea): void;
  onStageChanged?(workshop: Workshop): void;
  onComment?(comment: Comment): void;
  onResync?(): void;
}

/** Live state of one workshop: the join snapshot, then room events applied on top. */
export function useWorkshopLive(
  /** A guest token, or null to use the signed-in user's access token. */
  guestToken: string | null,
  workshopId: string | null,
  callbacks: LiveCallbacks = {},
) {
  const [state, setState] = useState<LiveState>({
    workshop: null,
    ideas: [],
    me: null,
    status: 'connecting',
    error: null,
  });
  const connection = useRef<LiveConnection | null>(null);
  const cb = useRef(callbacks);
  cb.current = callbacks;

  useEffect(() => {
    if (!workshopId) return;
    let first = true;
    const getToken = () => guestToken ?? session()?.accessToken ?? null;
    const conn = new LiveConnection(getToken, workshopId, {
      unauthorized: async () => {
        if (guestToken || !session()) return false;
        // Any authenticated call refreshes an expired access token.
        return api('GET', '/api/auth/me').then(
          () => true,
          () => false,
        );
      },
      snapshot: (data) => {
        setState((s) => ({
          ...s,
          workshop: data.workshop,
          ideas: data.ideas.filter((idea) => !idea.hidden),
          me: data.me,
          error: null,
        }));
        if (!first) cb.current.onResync?.();
        first = false;
      },
      status: (status) => setState((s) => ({ ...s, status })),
      joinFailed: (error) => setState((s) => ({ ...s, error })),
      ideaCreated: (idea) => {
        setState((s) =>
          s.ideas.some((i) => i.id === idea.id) || idea.hidden
            ? s
            : { ...s, ideas: [...s.ideas, idea] },
        );
        cb.current.onIdeaCreated?.(idea);
      },
      ideaUpdated: (idea) =>
        setState((s) => {
          const rest = s.ideas.filter((i) => i.id !== idea.id);
          if (idea.hidden) return { ...s, ideas: rest };
          const exists = rest.length !== s.ideas.length;
          return {
            ...s,
            ideas: exists ? s.ideas.map((i) => (i.id === idea.id ? idea : i)) : [...s.ideas, idea],
          };
        }),
      tally: (tallies) =>
        setState((s) => {
          const counts = new Map(tallies.map((row) => [row.ideaId, row.voteCount]));
          return {
            ...s,
            ideas: s.ideas.map((i) =>
              counts.has(i.id) ? { ...i, voteCount: counts.get(i.id) ?? i.voteCount } : i,
            ),
          };
        }),
      workshopUpdated: (workshop) => {
        setState((s) => {
          if (s.workshop && s.workshop.stage !== workshop.stage)
            cb.current.onStageChanged?.(workshop);
          return { ...s, workshop: { ...workshop } };
        });
      },
      presence: (count) =>
        setState((s) =>
          s.workshop ? { ...s, workshop: { ...s.workshop, participantCount: count } } : s,
        ),
      commentCreated: (comment) => {
        setState((s) => ({
          ...s,
          ideas: s.ideas.map((i) =>
            i.id === comment.ideaId ? { ...i, commentCount: i.commentCount + 1 } : i,
          ),
        }));
        cb.current.onComment?.(comment);
      },
    });
    connection.current = conn;
    // Exposed for the browser tests' connection-loss check and for debugging in the field.
    (window as unknown as { __edpLive?: LiveConnection }).__edpLive = conn;
    return () => {
      conn.close();
      connection.current = null;
    };
  }, [guestToken, workshopId]);

  return { ...state, connection, setState };
}
