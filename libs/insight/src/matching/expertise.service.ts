import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { UserActor } from '@edp/auth';
import type { ExpertiseDto } from './dto/expertise.dto.js';
import { ResearcherExpertise } from './researcher-expertise.entity.js';

export interface ExpertiseView {
  keywords: string[];
  text: string;
  updatedAt: string | null;
}

/** A researcher's own expertise profile (keywords and a short text). */
@Injectable()
export class ExpertiseService {
  constructor(
    @InjectRepository(ResearcherExpertise)
    private readonly profiles: Repository<ResearcherExpertise>,
  ) {}

  async get(actor: UserActor): Promise<ExpertiseView> {
    const profile = await this.profiles.findOneBy({ userId: actor.id });
    return profile ? toView(profile) : { keywords: [], text: '', updatedAt: null };
  }

  /** Replaces the profile; keywords are kept once each, case-insensitively, in the given order. */
  async put(actor: UserActor, input: ExpertiseDto): Promise<ExpertiseView> {
    const seen = new Set<string>();
    const keywords = input.keywords.filter((keyword) => {
      const key = keyword.toLocaleLowerCase('sv');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    await this.profiles.upsert({ userId: actor.id, keywords, text: input.text }, ['userId']);
    return toView(await this.profiles.findOneByOrFail({ userId: actor.id }));
  }
}

function toView(profile: ResearcherExpertise): ExpertiseView {
  return {
    keywords: profile.keywords,
    text: profile.text,
    updatedAt: new Date(profile.updatedAt).toISOString(),
  };
}
