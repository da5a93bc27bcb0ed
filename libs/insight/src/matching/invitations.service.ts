import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException } from '@edp/common';
import type { Actor, Helix, UserActor } from '@edp/auth';
import { IdeasService } from '@edp/workshop';
import { isUniqueViolation, rows } from '../shared/sql.js';
import type { InvitationStatus } from './research-invitation.entity.js';

export interface InvitationView {
  id: string;
  ideaId: string;
  researcherId: string;
  status: InvitationStatus;
  createdAt: string;
  respondedAt: string | null;
}

export interface MyInvitationView extends InvitationView {
  idea: { id: string; title: string; processId: string };
  invitedBy: { id: string; displayName: string } | null;
}

export interface ContributorView {
  id: string;
  displayName: string;
  organisation: { name: string; helix: Helix } | null;
  acceptedAt: string | null;
}

interface InvitationRow {
  id: string;
  idea_id: string;
  researcher_id: string;
  status: InvitationStatus;
  created_at: Date | string;
  responded_at: Date | string | null;
}

/** An idea's author invites a researcher; the researcher accepts (becomes a contributor) or declines. */
@Injectable()
export class InvitationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ideas: IdeasService,
  ) {}

  async invite(actor: UserActor, ideaId: string, researcherId: string): Promise<InvitationView> {
    await this.ideas.view(actor, ideaId);
    const [idea] = await rows<{ author_user_id: string | null }>(
      this.dataSource,
      `SELECT author_user_id FROM ideas WHERE id = $1`,
      [ideaId],
    );
    if (idea?.author_user_id !== actor.id) {
      throw AppException.forbidden('Only the idea’s author may invite researchers', 'NOT_AUTHOR');
    }
    if (researcherId === actor.id) {
      throw AppException.unprocessable('CANNOT_INVITE_SELF', 'You cannot invite yourself');
    }
    const researcher = await rows(
      this.dataSource,
      `SELECT 1 FROM users WHERE id = $1 AND role = 'researcher' AND NOT disabled`,
      [researcherId],
    );
    if (researcher.length === 0) throw AppException.notFound('Researcher');
    try {
      const [created] = await rows<InvitationRow>(
        this.dataSource,
        `INSERT INTO research_invitations (idea_id, researcher_id, invited_by)
         VALUES ($1, $2, $3) RETURNING *`,
        [ideaId, researcherId, actor.id],
      );
      return toView(created);
    } catch (error) {
      if (isUniqueViolation(error, 'UQ_research_invitations_idea_researcher')) {
        throw AppException.conflict('ALREADY_INVITED', 'This researcher is already invited');
      }
      throw error;
    }
  }

  async mine(actor: UserActor): Promise<MyInvitationView[]> {
    const found = await rows<
      InvitationRow & {
        title: string;
        process_id: string;
        invited_by: string | null;
        inviter_name: string | null;
      }
    >(
      this.dataSource,
      `SELECT ri.*, i.title, i.process_id, u.display_name AS inviter_name
       FROM research_invitations ri JOIN ideas i ON i.id = ri.idea_id
       LEFT JOIN users u ON u.id = ri.invited_by
       WHERE ri.researcher_id = $1 ORDER BY ri.created_at DESC, ri.id`,
      [actor.id],
    );
    return found.map((row) => ({
      ...toView(row),
      idea: { id: row.idea_id, title: row.title, processId: row.process_id },
      invitedBy:
        row.invited_by && row.inviter_name
          ? { id: row.invited_by, displayName: row.inviter_name }
          : null,
    }));
  }

  /** Only a pending invitation can be answered, once; an invitation of someone else is 404. */
  async respond(
    actor: UserActor,
    invitationId: string,
    status: 'accepted' | 'declined',
  ): Promise<InvitationView> {
    const [updated] = await rows<InvitationRow>(
      this.dataSource,
      `UPDATE research_invitations SET status = $3, responded_at = now()
       WHERE id = $1 AND researcher_id = $2 AND status = 'pending' RETURNING *`,
      [invitationId, actor.id, status],
    );
    if (updated) return toView(updated);
    const existing = await rows(
      this.dataSource,
      `SELECT 1 FROM research_invitations WHERE id = $1 AND researcher_id = $2`,
      [invitationId, actor.id],
    );
    if (existing.length === 0) throw AppException.notFound('Invitation');
    throw AppException.conflict('INVITATION_ANSWERED', 'This invitation has already been answered');
  }

  /** Researchers who accepted an invitation to the idea (the caller must be able to see the idea). */
  async contributors(actor: Actor | null, ideaId: string): Promise<ContributorView[]> {
    await this.ideas.view(actor, ideaId);
    const found = await rows<{
      id: string;
      display_name: string;
      organisation_name: string | null;
      helix: Helix | null;
      responded_at: Date | string | null;
    }>(
      this.dataSource,
      `SELECT u.id, u.display_name, o.name AS organisation_name, o.helix, ri.responded_at
       FROM research_invitations ri JOIN users u ON u.id = ri.researcher_id
       LEFT JOIN organisations o ON o.id = u.organisation_id
       WHERE ri.idea_id = $1 AND ri.status = 'accepted' AND NOT u.disabled
       ORDER BY ri.responded_at, u.id`,
      [ideaId],
    );
    return found.map((row) => ({
      id: row.id,
      displayName: row.display_name,
      organisation:
        row.organisation_name && row.helix
          ? { name: row.organisation_name, helix: row.helix }
          : null,
      acceptedAt: row.responded_at ? new Date(row.responded_at).toISOString() : null,
    }));
  }
}

function toView(row: InvitationRow): InvitationView {
  return {
    id: row.id,
    ideaId: row.idea_id,
    researcherId: row.researcher_id,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    respondedAt: row.responded_at ? new Date(row.responded_at).toISOString() : null,
  };
}
