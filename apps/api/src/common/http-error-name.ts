import { HttpStatus } from '@nestjs/common';

/** The reason phrase of a status as Nest writes it in `error`: 413 → 'Payload Too Large'. */
export function httpErrorName(status: number): string {
  return (HttpStatus[status] ?? 'Error')
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join(' ');
}
