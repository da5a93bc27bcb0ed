import type { Role } from './role.js';

/**
 * Every right in the platform, mapped to roles in this one file. Object-level checks
 * (same region, own idea, workshop participant) live in the services.
 */
export enum Permission {
  AccountRead = 'account:read',
  RegionCreate = 'region:create',
  UserCreate = 'user:create',
  UserUpdate = 'user:update',
  PriorityAreaManage = 'priority-area:manage',
  ProcessManage = 'process:manage',
  ProcessExport = 'process:export',
  AuditRead = 'audit:read',
  IdeaSubmit = 'idea:submit',
  IdeaModerate = 'idea:moderate',
  Vote = 'vote',
  Comment = 'comment',
  CommentExpertise = 'comment:expertise',
  WorkshopManage = 'workshop:manage',
  WorkshopParticipate = 'workshop:participate',
  OverviewRead = 'overview:read',
  AnalyticsRead = 'analytics:read',
  ExpertiseManage = 'expertise:manage',
  SimilarRead = 'similar:read',
}

const PARTICIPANT: Permission[] = [
  Permission.AccountRead,
  Permission.IdeaSubmit,
  Permission.Vote,
  Permission.Comment,
  Permission.WorkshopParticipate,
  Permission.SimilarRead,
];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: Object.values(Permission),
  agency: [
    Permission.AccountRead,
    Permission.ProcessExport,
    Permission.AuditRead,
    Permission.OverviewRead,
    Permission.AnalyticsRead,
    Permission.SimilarRead,
  ],
  region: [
    ...PARTICIPANT,
    Permission.UserCreate,
    Permission.UserUpdate,
    Permission.PriorityAreaManage,
    Permission.ProcessManage,
    Permission.ProcessExport,
    Permission.AuditRead,
    Permission.IdeaModerate,
    Permission.WorkshopManage,
    Permission.OverviewRead,
    Permission.AnalyticsRead,
  ],
  facilitator: [
    ...PARTICIPANT,
    Permission.IdeaModerate,
    Permission.WorkshopManage,
    Permission.AnalyticsRead,
  ],
  company: PARTICIPANT,
  researcher: [...PARTICIPANT, Permission.CommentExpertise, Permission.ExpertiseManage],
};

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
