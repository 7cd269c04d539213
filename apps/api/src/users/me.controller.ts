import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AccessTokenClaims, CurrentUser } from '@nestkit/auth';

/**
 * The signed-in user, from the access token alone.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  @Get()
  me(@CurrentUser() user: AccessTokenClaims): { sub: string; email: string } {
    return { sub: user.sub, email: user.email };
  }
}
