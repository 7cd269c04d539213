import { ApiProperty } from '@nestjs/swagger';

/** Response of register. */
export class RegisteredUserDto {
  @ApiProperty({ example: '6750a7b2c1f4e8a9d0b1c2d3' })
  id!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;
}

/** Response of login and refresh. */
export class TokenPairDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9...' })
  accessToken!: string;

  @ApiProperty({ example: 'q5n0Jx1dXk2aFv8lq1mC0Y2yZb7T3s9R4uW6eH0pLkA' })
  refreshToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ example: 900, description: 'access-token lifetime in seconds' })
  expiresIn!: number;

  @ApiProperty({ example: '2026-12-14T12:00:00.000Z', description: 'end of the session' })
  refreshExpiresAt!: Date;
}

/** One entry of `GET /auth/sessions`. */
export class SessionDto {
  @ApiProperty({ example: '3f2b8c1e-5d4a-4b7e-9c0d-1a2b3c4d5e6f' })
  id!: string;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  lastUsedAt!: Date;

  @ApiProperty()
  expiresAt!: Date;

  @ApiProperty({ type: String, nullable: true, example: 'curl/8.5.0' })
  userAgent!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '127.0.0.1' })
  ip!: string | null;

  @ApiProperty({ description: 'the session of the access token used for this request' })
  current!: boolean;
}
