import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppException } from '@edp/common';
import type { DataSource, EntityManager } from 'typeorm';
import { User } from './user.entity.js';

const UNIQUE_VIOLATION = '23505';

/** Plain data access for accounts; the rules live in the services. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** With the organisation, as a view needs it; 404 when missing. */
  async load(id: string, manager: EntityManager = this.dataSource.manager): Promise<User> {
    const user = await manager.findOne(User, { where: { id }, relations: { organisation: true } });
    if (!user) throw AppException.notFound('User');
    return user;
  }

  find(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOne(User, { where: { id }, relations: { organisation: true } });
  }

  /** The only read that includes the password hash (never pass this entity to a view as is). */
  findForLogin(email: string): Promise<User | null> {
    return this.dataSource.manager
      .createQueryBuilder(User, 'user')
      .addSelect('user.passwordHash')
      .leftJoinAndSelect('user.organisation', 'organisation')
      .where('user.email = :email', { email })
      .getOne();
  }

  async emailTaken(email: string): Promise<boolean> {
    return this.dataSource.manager.exists(User, { where: { email } });
  }

  emailTakenError(): AppException {
    return AppException.conflict('EMAIL_TAKEN', 'An account with this e-mail address exists');
  }

  /** Two registrations racing for one address: the unique key decides, the loser gets 409. */
  async translateUniqueViolation<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code;
      if (code === UNIQUE_VIOLATION) throw this.emailTakenError();
      throw error;
    }
  }
}
