import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthService, type JsonWebKeySet, Public } from '@nestkit/auth';

/**
 * `GET /.well-known/jwks.json`: the public keys that verify this API's access tokens, for
 * other services. Empty with HS256, whose secret is never published.
 */
@ApiTags('auth')
@Public()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly auth: AuthService) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks(): JsonWebKeySet {
    return this.auth.getJwks();
  }
}
