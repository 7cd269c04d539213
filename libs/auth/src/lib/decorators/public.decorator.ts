import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from '../auth.constants';

/**
 * Opens a route or a whole controller when `JwtGuard` is the global guard (`APP_GUARD`).
 *
 * @example
 * @Public()
 * @Post('login')
 * login(@Body() body: LoginDto) {}
 *
 * @publicApi
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
