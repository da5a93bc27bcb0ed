import type { Helix } from '@edp/auth';
import type { CommentKind } from './comment.entity.js';

/** API.md `comment`; `replies` in threaded lists, `hidden` for staff only. */
export interface CommentView {
  id: string;
  ideaId: string;
  parentId: string | null;
  body: string;
  kind: CommentKind;
  authorName: string;
  helix: Helix | null;
  createdAt: string;
  hidden?: boolean;
  replies?: CommentView[];
}
