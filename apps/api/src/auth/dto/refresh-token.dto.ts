import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** Body of `POST /auth/refresh` and `POST /auth/logout`. */
export class RefreshTokenDto {
  @ApiProperty({ example: 'q5n0Jx1dXk2aFv8lq1mC0Y2yZb7T3s9R4uW6eH0pLkA', description: 'the refresh token from login or the last refresh' })
  @IsString()
  @MaxLength(256)
  refreshToken!: string;
}
