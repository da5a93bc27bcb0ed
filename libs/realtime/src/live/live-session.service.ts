import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException } from '@edp/common';
import { prepared } from '@edp/database';
import { isStaffOf, type Actor } from '@edp/auth';
import { CommentsService, IdeasService, type CommentView, type IdeaView } from '@edp/workshop';
import { DotVotesService, type MyVotes } from '../votes/dot-votes.service.js';
import { WorkshopAccess } from '../workshops/workshop-access.service.js';
import type { Stage, Workshop } from '../workshops/workshop.entity.js';
import type { WorkshopView } from '../workshops/workshop.view.js';
import { WorkshopsService } from '../workshops/workshops.service.js';

/** What the live writes need of their workshop. */
type LiveWorkshop = Pick<Workshop, 'id' | 'stage' | 'processId'>;

export interface WorkshopSnapshot {
  workshop: WorkshopView;
  ideas: IdeaView[];
  me: MyVotes;
}

/** A participant's side of a live session: the snapshot, ideas and comments in the right stage. */
@Injectable()
export class LiveSessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: WorkshopAccess,
    private readonly workshops: WorkshopsService,
    private readonly votes: DotVotesService,
    private readonly ideas: IdeasService,
    private readonly comments: CommentsService,
  ) {}

  /** Everything a (re)connecting client needs, read fresh from the database. */
  async snapshot(actor: Actor, workshopId: string): Promise<WorkshopSnapshot> {
    const participant = await this.access.requireParticipant(actor, workshopId);
    const workshop = await this.workshops.toView(await this.access.load(workshopId));
    const ideas = await this.withTallies(
      workshopId,
      await this.ideas.listForWorkshop(workshopId, actor),
    );
    return { workshop, ideas, me: await this.votes.mine(participant.id) };
  }

  /** Staff of the workshop's region (facilitators, region, admins); NOT_FOUND for no workshop. */
  async isStaff(actor: Actor, workshopId: string): Promise<boolean> {
    return isStaffOf(actor, (await this.access.load(workshopId)).regionCode);
  }

  /** A retry with the same clientId returns the first idea, even after the stage moved on. */
  async submitIdea(
    actor: Actor,
    input: { workshopId: string; title: string; body?: string; clientId: string },
  ): Promise<IdeaView> {
    const workshop = await this.member(actor, input.workshopId);
    const first = await this.ideas.byClientId(actor, input.clientId);
    if (first?.workshopId === workshop.id) return first;
    requireStage(workshop, ['ideation']);
    const { idea } = await this.ideas.submit(
      actor,
      workshop.processId,
      { title: input.title, body: input.body, clientId: input.clientId },
      { workshopId: workshop.id },
    );
    return idea;
  }

  /** A retry with the same clientId returns the first comment, even after the stage moved on. */
  async addComment(
    actor: Actor,
    input: {
      workshopId: string;
      ideaId: string;
      body: string;
      parentId?: string;
      clientId: string;
    },
  ): Promise<CommentView> {
    const workshop = await this.member(actor, input.workshopId, input.clientId);
    // Only a retry reads its first comment; a new one costs no round trip for it.
    const first = workshop.commentRetry
      ? await this.comments.byClientId(actor, input.clientId)
      : null;
    if (first?.comment.ideaId === input.ideaId) return first.comment;
    requireStage(workshop, ['ideation', 'voting']);
    const comment = { body: input.body, parentId: input.parentId, clientId: input.clientId };
    if (first) {
      // A clientId reused on another idea (rare): the checks as for a new comment, then the first.
      await this.ideas.view(actor, input.ideaId, { workshopId: workshop.id });
      return (await this.comments.add(actor, input.ideaId, comment, { workshopId: workshop.id }))
        .comment;
    }
    // In the workshop's context: the process may still be a draft, which its participants may
    // use. `live`: add checks in its one statement that the idea is this workshop's (no separate
    // read) and skips the clientId lookup done above; each round trip is CPU per comment.
    const added = await this.comments.add(actor, input.ideaId, comment, {
      workshopId: workshop.id,
      live: true,
    });
    return added.comment;
  }

  /** In a workshop an idea's `voteCount` is its tally of this session's votes. */
  async withTallies(workshopId: string, ideas: IdeaView[]): Promise<IdeaView[]> {
    const tallies = await this.votes.tallies(
      workshopId,
      ideas.map((idea) => idea.id),
    );
    return ideas.map((idea) => ({ ...idea, voteCount: tallies.get(idea.id) ?? 0 }));
  }

  /**
   * The workshop, if the caller is its participant. Every live write starts here, so it is one
   * plain query for the workshop and the membership (was three ORM reads), and with
   * `commentClientId` also whether the caller has a comment with that clientId already. The
   * membership rule is WorkshopAccess.participantOf's: a guest only of its own workshop.
   */
  private async member(
    actor: Actor,
    workshopId: string,
    commentClientId?: string,
  ): Promise<LiveWorkshop & { commentRetry: boolean }> {
    const guest = actor.kind === 'guest';
    const [row] = await prepared<{
      id: string;
      stage: Stage;
      process_id: string;
      member: boolean;
      comment_retry: boolean;
    }>(
      this.dataSource.manager,
      `SELECT w.id, w.stage, w.process_id,
         EXISTS (
           SELECT 1 FROM workshop_participants p
           WHERE p.workshop_id = w.id AND ${guest ? 'p.id' : 'p.user_id'} = $2
         ) AS member,
         $3::text IS NOT NULL AND EXISTS (
           SELECT 1 FROM comments c
           WHERE ${guest ? 'c.author_guest_id' : 'c.author_user_id'} = $2 AND c.client_id = $3
         ) AS comment_retry
       FROM workshops w WHERE w.id = $1`,
      [workshopId, actor.id, commentClientId ?? null],
    );
    if (!row) throw AppException.notFound('Workshop');
    // Staff not yet a participant become one (or NOT_FOUND) as requireParticipant decides.
    if (!row.member) await this.access.requireParticipant(actor, workshopId);
    return {
      id: row.id,
      stage: row.stage,
      processId: row.process_id,
      commentRetry: row.comment_retry,
    };
  }
}

function requireStage(workshop: LiveWorkshop, stages: Stage[]): void {
  if (!stages.includes(workshop.stage)) {
    throw AppException.conflict(
      'WRONG_STAGE',
      `Not possible in stage ${workshop.stage} (only in ${stages.join(', ')})`,
    );
  }
}
