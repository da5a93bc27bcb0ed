import { Body, Controller, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppException } from '@edp/common';
import type { UserActor } from '../access/actor.js';
import { CurrentActor, RequirePermissions } from '../access/access.decorators.js';
import { Permission } from '../access/permission.js';
import { CreateUserDto } from './dto/create-user.dto.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UsersService } from './users.service.js';

/** A malformed id is a 400 in the error format, like any other invalid input. */
function uuidPipe(): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => AppException.badRequest('VALIDATION_FAILED', 'id must be a UUID'),
  });
}

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @RequirePermissions(Permission.UserCreate)
  @Post()
  @ApiOperation({
    summary: 'Create an account (admin: any role; region: facilitators of own region)',
  })
  create(@CurrentActor() actor: UserActor, @Body() body: CreateUserDto) {
    return this.users.create(actor, body);
  }

  @RequirePermissions(Permission.UserUpdate)
  @Patch(':id')
  @ApiOperation({
    summary: 'Change role, region, name or status (admin: anyone; region: own facilitators)',
  })
  update(
    @CurrentActor() actor: UserActor,
    @Param('id', uuidPipe()) id: string,
    @Body() body: UpdateUserDto,
  ) {
    return this.users.update(actor, id, body);
  }
}
