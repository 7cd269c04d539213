import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** Body of `POST /auth/token/verify`. */
export class VerifyTokenDto {
  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6Ii4uLiJ9.e30.sig', description: 'an access token' })
  @IsString()
  @MaxLength(16 * 1024)
  token!: string;
}
