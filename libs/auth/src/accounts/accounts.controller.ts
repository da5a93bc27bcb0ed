import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserActor } from '../access/actor.js';
import { CurrentActor, Public, RequirePermissions } from '../access/access.decorators.js';
import { Permission } from '../access/permission.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { AccountsService } from './accounts.service.js';
import { ClientAddress } from './client-address.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { UpdateMeDto } from './dto/update-me.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
  ) {}

  @Public({ ignoreToken: true })
  @Post('register')
  @ApiOperation({ summary: 'Register as a company or researcher (public)' })
  register(@Body() body: RegisterDto, @ClientAddress() address: string) {
    return this.accounts.register(body, address);
  }

  @Public({ ignoreToken: true })
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in; wrong e-mail or password → 401, repeated failures → 429' })
  login(@Body() body: LoginDto, @ClientAddress() address: string) {
    return this.accounts.login(body, address);
  }

  @Public({ ignoreToken: true })
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a refresh token; reusing an old one revokes the session' })
  refresh(@Body() body: RefreshDto) {
    return this.sessions.refresh(body.refreshToken);
  }

  @RequirePermissions(Permission.AccountRead)
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session of this refresh token and close open sockets' })
  async logout(@CurrentActor() actor: UserActor, @Body() body: RefreshDto): Promise<void> {
    await this.sessions.logout(actor.id, body.refreshToken);
  }

  @RequirePermissions(Permission.AccountRead)
  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  me(@CurrentActor() actor: UserActor) {
    return this.accounts.me(actor);
  }

  @RequirePermissions(Permission.AccountRead)
  @Patch('me')
  @ApiOperation({ summary: 'Change own display name (role, region and status are not editable)' })
  updateMe(@CurrentActor() actor: UserActor, @Body() body: UpdateMeDto) {
    return this.accounts.updateMe(actor, body);
  }
}
